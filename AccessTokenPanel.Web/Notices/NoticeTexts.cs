namespace AccessTokenPanel.Web.Notices;

/// <summary>
/// The words of notices in Japanese (NoticeTexts.ja.resx); NoticeTexts.resx documents the English,
/// which the Domain's <see cref="Domain.Notices.NoticeText"/> writes itself.
/// </summary>
public sealed class NoticeTexts;

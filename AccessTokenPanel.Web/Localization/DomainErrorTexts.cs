namespace AccessTokenPanel.Web.Localization;

/// <summary>
/// The screens' texts of Domain refusals, keyed by their stable error code (DomainErrorTexts.resx
/// documents the English, which the Domain's message carries itself; DomainErrorTexts.ja.resx).
/// </summary>
public sealed class DomainErrorTexts;

using System.Globalization;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Components.Shared;
using AccessTokenPanel.Web.Localization;
using Microsoft.Extensions.Localization;

namespace AccessTokenPanel.Web.Notices;

/// <summary>
/// A notice as a person reads it, in the current language: English is the Domain's
/// <see cref="NoticeText"/> word for word; another language uses its translation of the notice's
/// kind, or the English where there is none yet. Webhooks keep the English (machines read them).
/// </summary>
public static class NoticeWords
{
    private static readonly IStringLocalizer Texts = StaticLocalizer.For<NoticeTexts>();

    public static string Title(TokenNotice notice) => Translated($"Title.{notice.Kind}", notice) ?? NoticeText.Title(notice);

    public static string Body(TokenNotice notice) => Translated($"Body.{notice.Kind}", notice) ?? NoticeText.Body(notice);

    /// <summary>The email around the notice: greeting, the link to the token, the closing line.</summary>
    public static string Email(NoticeMessage message, string? link) =>
        Texts["Hello {0},", message.OwnerName] + "\n\n" + Body(message.Notice) + "\n"
        + (link is null ? "" : "\n" + Texts["The token in the panel: {0}", link] + "\n")
        + "\n" + Texts["This message was sent by AccessTokenPanel. It never contains a token's secret."] + "\n";

    /// <summary>
    /// Runs the words in <paramref name="language"/> (a recipient's profile choice; null or unknown:
    /// English), for notices written outside any request (the email channel's worker).
    /// </summary>
    public static IDisposable InLanguage(string? language)
    {
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        var chosen = PanelLanguages.Find(language) ?? PanelLanguages.English;
        CultureInfo.CurrentUICulture = new CultureInfo(chosen);
        CultureInfo.CurrentCulture = chosen == PanelLanguages.English ? CultureInfo.InvariantCulture : new CultureInfo(chosen);
        return new Restore(previous);
    }

    private static string? Translated(string key, TokenNotice notice)
    {
        if (PanelLanguages.Current == PanelLanguages.English)
        {
            return null;
        }
        var text = Texts[key, notice.TokenName, notice.ThresholdDays ?? 0, notice.ApiType.DisplayName(), notice.TokenHint,
            DisplayDates.DateTimeUtc(notice.TokenExpiresAt), notice.Details ?? ""];
        return text.ResourceNotFound ? null : text.Value;
    }

    private sealed class Restore((CultureInfo Culture, CultureInfo UiCulture) previous) : IDisposable
    {
        public void Dispose() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
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
public static partial class NoticeWords
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
        var text = Texts[key, [notice.TokenName, notice.ThresholdDays ?? 0, notice.ApiType.DisplayName(), notice.TokenHint,
            DisplayDates.DateTimeUtc(notice.TokenExpiresAt), notice.Details ?? "", .. DetailParts(notice)]];
        return text.ResourceNotFound ? null : text.Value;
    }

    /// <summary>
    /// The parts of a notice's details that the translations name ({6}, {7}, {8}). The Domain stores
    /// the details as English text; the parts are read back from the shapes it writes, and a shape
    /// not recognised leaves the whole details in {6} (what the English shows).
    /// </summary>
    private static string[] DetailParts(TokenNotice notice)
    {
        var details = notice.Details ?? "";
        switch (notice.Kind)
        {
            case NoticeKind.RequestDecided when DecidedPattern().Match(details) is { Success: true } decided:
                return [Texts[decided.Groups["decision"].Value == "approved" ? "Decision.Approved" : "Decision.Denied"],
                    decided.Groups["reason"].Value is { Length: > 0 } reason ? Texts["Part.Reason", reason] : ""];
            case NoticeKind.RequestWaiting when WaitingPattern().Match(details) is { Success: true } waiting:
                return [waiting.Groups["api"].Value, waiting.Groups["user"].Value,
                    waiting.Groups["role"].Success ? Texts["Part.WithRole", waiting.Groups["role"].Value] : ""];
            case NoticeKind.Created when CreatedPattern().Match(details) is { Success: true } created:
                return [created.Groups["user"].Value, Via(created.Groups["via"].Value),
                    created.Groups["account"].Success ? Texts["Part.ForServiceAccount", created.Groups["account"].Value] : ""];
            case NoticeKind.StepUpLocked when LockedUntilPattern().Match(details) is { Success: true } locked
                && DateTime.TryParseExact(locked.Groups["until"].Value, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var until):
                return [DisplayDates.DateTimeUtc(until)];
            case NoticeKind.IdleSoon when DateTime.TryParseExact(details, "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var on):
                return [DisplayDates.Date(on)];
            case NoticeKind.Leaked:
                return [details.Length == 0 ? "" : Texts["Part.PublishedAt", details]];
            case NoticeKind.RequestDecided:
                return [details, ""];
            default:
                return [details, "", ""];
        }
    }

    /// <summary>Where the actor came in (<c>Actor.Via</c>), in the shapes the panel's ways in write; another stays as written.</summary>
    private static string Via(string via) => via switch
    {
        "on the panel" => Texts["Via.Panel"],
        "on the Settings page" => Texts["Via.SettingsPage"],
        "on the Users page" => Texts["Via.UsersPage"],
        _ when ViaTokenPattern().Match(via) is { Success: true } token => Texts["Via.Token", token.Groups["api"].Value, token.Groups["id"].Value],
        _ when ViaApiPattern().Match(via) is { Success: true } api => Texts["Via.Api", api.Groups["api"].Value],
        _ => via,
    };

    [GeneratedRegex(@"^via (?<api>[A-Za-z]+(?: API)?) token (?<id>\S+)$")]
    private static partial Regex ViaTokenPattern();

    [GeneratedRegex(@"^via (?<api>[A-Za-z]+ API)$")]
    private static partial Regex ViaApiPattern();

    // The shapes of the details the Domain writes (TokenRequests, TokenIssuer, StepUpVerifier).
    [GeneratedRegex(@"^(?<decision>approved|denied): (?<reason>.*)$", RegexOptions.Singleline)]
    private static partial Regex DecidedPattern();

    [GeneratedRegex(@"^(?<api>.+?) token requested by user (?<user>\S+)(?: with role (?<role>.+))?$")]
    private static partial Regex WaitingPattern();

    [GeneratedRegex(@"^by user (?<user>\S+) (?<via>.*?)(?: for service account '(?<account>.*)')?$")]
    private static partial Regex CreatedPattern();

    [GeneratedRegex(@"until (?<until>\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC")]
    private static partial Regex LockedUntilPattern();

    private sealed class Restore((CultureInfo Culture, CultureInfo UiCulture) previous) : IDisposable
    {
        public void Dispose() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
    }
}

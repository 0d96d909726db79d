using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Web.Localization;

namespace AccessTokenPanel.Web.Components.Pages.Settings;

/// <summary>
/// The Settings screen's Domain refusals as it shows them: <see cref="DomainMessages"/> (English: the
/// Domain's own message; Japanese: the code's translation) with the limits the translations name.
/// Only the screen comes here; the APIs keep the English <c>detail</c>.
/// </summary>
public static class SettingsMessages
{
    private static readonly Microsoft.Extensions.Localization.IStringLocalizer Texts = StaticLocalizer.For<SettingsTexts>();

    public static string Text(DomainError error) => error.Code switch
    {
        SettingsErrorCodes.MaxLifetimeOutOfRange => DomainMessages.Text(error, PanelSettings.MaxLifetimeDaysLimit),
        SettingsErrorCodes.AccessTokenLifetimeOutOfRange =>
            DomainMessages.Text(error, PanelSettings.AccessTokenLifetimeMinutesMin, PanelSettings.AccessTokenLifetimeMinutesMax),
        SettingsErrorCodes.OrganizationNameLength => DomainMessages.Text(error, PanelSettings.OrganizationNameMaxLength),
        TokenPolicyErrorCodes.IdleDaysOutOfRange => DomainMessages.Text(error, TokenPolicy.IdleDaysMin, TokenPolicy.IdleDaysMax),
        _ => DomainMessages.Text(error),
    };

    /// <summary>An external token validator's refusal ("name-taken" means another validator's name here, not a token's).</summary>
    public static string ValidatorText(DomainError error) => error.Code switch
    {
        ExternalTokenValidatorErrorCodes.NameTaken => PanelLanguages.Current == PanelLanguages.English ? error.Message : Texts["Another validator has this name."],
        ExternalTokenValidatorErrorCodes.NameInvalid => DomainMessages.Text(error, ExternalTokenValidator.NameMaxLength),
        ExternalTokenValidatorErrorCodes.AudienceInvalid => DomainMessages.Text(error, ExternalTokenValidator.AudienceMaxLength),
        ExternalTokenValidatorErrorCodes.MaxRoleInvalid => DomainMessages.Text(error, string.Join(", ", PanelRoles.All.Select(r => r.Name))),
        _ => DomainMessages.Text(error),
    };

    /// <summary>Why a token is over its API's policy (English: the Domain's own words).</summary>
    public static string Why(OverPolicyToken token) => PanelLanguages.Current == PanelLanguages.English ? token.Reason : token.Why switch
    {
        OverPolicyReason.AddressesRequired => Texts["The policy requires allowed client addresses, and this token has none."],
        _ => Texts["It lives longer than the policy's {0} days.", token.MaxLifetimeDays],
    };

    /// <summary>
    /// The last error of a notice delivery or an audit sink as the Settings page shows it. The
    /// error is stored as English text (no migration for a code): the sentences the panel writes
    /// itself are recognised by their shape and translated; what a library or server said (an
    /// exception's message, an HTTP reason phrase, a host name) stays as it came.
    /// </summary>
    public static string DeliveryError(string error)
    {
        if (PanelLanguages.Current == PanelLanguages.English)
        {
            return error;
        }
        foreach (var (pattern, key) in DeliveryErrorShapes)
        {
            if (pattern.Match(error) is { Success: true } match)
            {
                return Texts[key, match.Groups.Values.Skip(1).Select(g => (object)g.Value).ToArray()];
            }
        }
        return error;
    }

    // The sentences NoticeDispatcher, WebhookNoticeChannel, AuditStreamer, WebhookAuditSink and SyslogAuditSink write.
    private static readonly (Regex Pattern, string Key)[] DeliveryErrorShapes =
    [
        (new(@"^The (\w+) channel is no longer configured\.$"), "Delivery.ChannelGone"),
        (new(@"^There is nowhere to send it \(the owner has no email address\)\.$"), "Delivery.NoAddress"),
        (new(@"^The webhook answered (\d+) ?(.*)\.$"), "Delivery.WebhookAnswered"),
        (new(@"^The webhook did not answer within (\d+) seconds\.$"), "Delivery.WebhookTimeout"),
        (new(@"^The webhook could not be reached: (.*)$", RegexOptions.Singleline), "Delivery.WebhookUnreachable"),
        (new(@"^The sink took only part of the batch\.$"), "Delivery.PartOfBatch"),
        (new(@"^The syslog server (\S+) did not answer within (\d+) seconds\.$"), "Delivery.SyslogTimeout"),
        (new(@"^The syslog server (\S+) could not be reached: (.*)$", RegexOptions.Singleline), "Delivery.SyslogUnreachable"),
    ];
}

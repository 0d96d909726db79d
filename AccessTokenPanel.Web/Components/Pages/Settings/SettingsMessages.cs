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
}

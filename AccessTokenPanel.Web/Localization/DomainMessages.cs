using System.Globalization;
using AccessTokenPanel.Domain.Approvals;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Passkeys;
using AccessTokenPanel.Domain.ServiceAccounts;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.Extensions.Localization;

namespace AccessTokenPanel.Web.Localization;

/// <summary>
/// A Domain refusal as a screen shows it: in English the Domain's own message (it may name values);
/// in another language the translation of its stable code (DomainErrorTexts.ja.resx), or the
/// English message when there is none yet. The APIs never come here: they keep the English
/// <c>detail</c> and the codes.
/// </summary>
public static class DomainMessages
{
    private static readonly IStringLocalizer Texts = StaticLocalizer.For<DomainErrorTexts>();

    public static string Text(DomainError error) => Text(error, LimitsOf(error.Code));

    /// <summary>
    /// As <see cref="Text(DomainError)"/>, with the values the translation names ({0}, {1}...): the
    /// screen passes those it knows (a limit, the list of roles). A translation with placeholders
    /// asked for without values shows the English message, which carries them.
    /// </summary>
    public static string Text(DomainError error, params object?[] values)
    {
        if (PanelLanguages.Current == PanelLanguages.English)
        {
            return error.Message;
        }
        var translated = Texts[error.Code];
        if (translated.ResourceNotFound || translated.Value.Length == 0)
        {
            return error.Message;
        }
        if (values.Length == 0)
        {
            return translated.Value.Contains('{', StringComparison.Ordinal) ? error.Message : translated.Value;
        }
        return string.Format(CultureInfo.CurrentCulture, translated.Value, values);
    }

    /// <summary>The Domain's limits that a code's translation names, whichever screen shows it.</summary>
    private static object?[] LimitsOf(string code) => code switch
    {
        TokenErrorCodes.OverlapOutOfRange => [TokenRules.MaxOverlapMinutes],
        TokenRequestErrorCodes.ReasonRequired => [TokenRequest.ReasonMaxLength],
        ServiceAccountErrorCodes.DescriptionTooLong => [AccessTokenPanel.Domain.ServiceAccounts.ServiceAccounts.DescriptionMaxLength],
        PasskeyErrorCodes.Limit => [PasskeyAccounts.MaxPerUser],
        PasskeyErrorCodes.NameTooLong => [PasskeyAccounts.MaxNameLength],
        _ => [],
    };
}

using AccessTokenPanel.Domain.Authorization;
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

    public static string Text(DomainError error)
    {
        if (PanelLanguages.Current == PanelLanguages.English)
        {
            return error.Message;
        }
        var translated = Texts[error.Code];
        return translated.ResourceNotFound || translated.Value.Length == 0 ? error.Message : translated.Value;
    }
}

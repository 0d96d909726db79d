using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Localization;

namespace AccessTokenPanel.Web.Components.Shared;

/// <summary>
/// Why calls with a token were refused, as the usage tables show it: in English the words the
/// screen passes (the Domain's), in another language the translation of the status.
/// </summary>
public static class TokenRefusalWords
{
    public static string Text(TokenValidationStatus status, string english)
    {
        if (PanelLanguages.Current == PanelLanguages.English)
        {
            return english;
        }
        var translated = SharedTexts.Localizer[$"Refusal.{status}"];
        return translated.ResourceNotFound ? english : translated.Value;
    }
}

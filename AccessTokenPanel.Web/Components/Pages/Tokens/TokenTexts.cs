using Microsoft.Extensions.Localization;

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

/// <summary>The texts of the token screens and dialogs (TokenTexts.resx, TokenTexts.ja.resx).</summary>
public sealed class TokenTexts
{
    /// <summary>For the screens' handlers (<see cref="GenerateTokenHandler"/>, <see cref="TokenDeletion"/>).</summary>
    internal static IStringLocalizer Localizer { get; } = Localization.StaticLocalizer.For<TokenTexts>();
}

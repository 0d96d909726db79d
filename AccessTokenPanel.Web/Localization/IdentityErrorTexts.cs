namespace AccessTokenPanel.Web.Localization;

/// <summary>
/// The texts of ASP.NET Core Identity's errors, keyed by <see cref="Microsoft.AspNetCore.Identity.IdentityErrorDescriber"/>'s
/// method names; the English is Identity's own, word for word.
/// </summary>
public sealed class IdentityErrorTexts;

namespace AccessTokenPanel.Web.Components.Pages.Users;

/// <summary>The texts of the Users screen (UserTexts.resx, UserTexts.ja.resx).</summary>
public sealed class UserTexts;

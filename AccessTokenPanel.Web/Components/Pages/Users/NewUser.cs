namespace AccessTokenPanel.Web.Components.Pages.Users;

/// <summary>What the Create user dialog collects; the password never leaves the dialog's and the handler's memory.</summary>
public sealed record NewUser(string Email, string DisplayName, string Role, string Password);

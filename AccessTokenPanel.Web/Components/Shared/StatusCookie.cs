using Microsoft.AspNetCore.Components;

namespace AccessTokenPanel.Web.Components.Shared;

/// <summary>
/// Carries a one-line outcome across a post/redirect/get, read once by <see cref="StatusMessage"/>.
/// Never put a secret in it.
/// </summary>
public static class StatusCookie
{
    public const string Name = "Panel.StatusMessage";

    private static readonly CookieBuilder Builder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(30),
    };

    public static string? Read(HttpContext context) => context.Request.Cookies[Name];

    /// <summary>Sets the message and redirects; the caller returns right after.</summary>
    public static void RedirectWithStatus(this NavigationManager navigation, HttpContext context, string uri, string message)
    {
        context.Response.Cookies.Append(Name, message, Builder.Build(context));
        navigation.NavigateTo(uri);
    }
}

using System.Security.Claims;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Components.Account;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Localization;

/// <summary>
/// The language menu's form (app bar and account pages): remembers the choice in the culture cookie
/// and, for a signed-in user, on their profile (for their other browsers and their notices), then
/// goes back to the page, which loads again in the new language.
/// </summary>
internal static class LanguageEndpoint
{
    /// <summary>POST (form: <c>culture</c>, <c>redirectUri</c>, antiforgery token).</summary>
    public const string Path = "/account/language";

    public static IEndpointRouteBuilder MapLanguageEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, SetLanguageAsync).PerformsNoOperation("Sets the caller's own display language.");
        return endpoints;
    }

    private static async Task<IResult> SetLanguageAsync(
        HttpContext http, PanelDbContext db, [FromForm] string? culture, [FromForm] string? redirectUri)
    {
        var back = AccountPaths.LocalOrHome(redirectUri);
        if (PanelLanguages.Find(culture) is not { } language)
        {
            return TypedResults.LocalRedirect(back);
        }
        PanelLanguages.Remember(http, language);
        if (http.User.Identity?.IsAuthenticated == true && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            await db.Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.PreferredLanguage, language), http.RequestAborted);
        }
        return TypedResults.LocalRedirect(back);
    }
}

using AccessTokenPanel.Domain.Authorization;
using System.Security.Claims;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// Sign-out and "sign out everywhere": form posts (with antiforgery), never a GET a link or image
/// could trigger. A form field makes each a form-bound endpoint, which turns antiforgery validation on.
/// </summary>
internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(AccountPaths.Logout, SignOutAsync).PerformsNoOperation("Ends the caller's own session.");
        endpoints.MapPost(AccountPaths.LogoutEverywhere, SignOutEverywhereAsync).RequireAuthorization(PanelPolicies.SignedIn)
            .PerformsNoOperation("Ends every session of the caller's own.");
        endpoints.MapPost(AccountPaths.EndUserSessions, EndUserSessionsAsync).RequireAuthorization(Permission.UsersWrite).Performs(Operations.EndSessions);
        endpoints.MapPasskeyEndpoints();
        Authentication.Sso.SsoSignIn.MapSsoEndpoints(endpoints);
        Authentication.Sso.SsoLogout.MapSsoLogoutEndpoints(endpoints);
        return endpoints;
    }

    /// <summary>Ends this browser's session in the database, so a copy of the cookie is refused afterwards too.</summary>
    private static async Task<IResult> SignOutAsync(
        HttpContext http, SignInManager<PanelUser> signIn, SessionRegistry sessions, SignInAudit audit, [FromForm] string? returnUrl)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is not null && await sessions.EndAsync(SessionCookies.SessionIdOf(http.User)))
        {
            await audit.SignedOutAsync(userId, http.User.FindFirstValue(ClaimTypes.Name), ClientAddress.TextOf(http));
        }
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(AccountPaths.Login);
    }

    /// <summary>Ends every session of the signed-in user, on every browser, this one included.</summary>
    private static async Task<IResult> SignOutEverywhereAsync(
        HttpContext http, SignInManager<PanelUser> signIn, SessionRegistry sessions, SignInAudit audit, [FromForm] string? returnUrl)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var ended = await sessions.EndAllAsync(userId);
        // A new stamp also ends what checks only the stamp (live interactive circuits).
        if (await signIn.UserManager.FindByIdAsync(userId) is { } user)
        {
            await signIn.UserManager.UpdateSecurityStampAsync(user);
        }
        await audit.SessionsEndedAsync(userId, userId, http.User.FindFirstValue(ClaimTypes.Name), ended, ClientAddress.TextOf(http));
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(AccountPaths.Login);
    }

    /// <summary>
    /// An administrator ends another user's sessions: the users permission and the rank rule
    /// (nobody acts on a user holding permissions they lack), as for every user change.
    /// </summary>
    private static async Task<IResult> EndUserSessionsAsync(
        HttpContext http, string userId, UserAccounts accounts, PermissionResolver permissions, [FromForm] string? returnUrl)
    {
        var actorId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var actor = Actor.Session(actorId, await permissions.GetPermissionsAsync(actorId), PanelClaims.IsEnrolled(http.User),
            via: $"from {ClientAddress.TextOf(http)}");
        var result = await accounts.EndSessionsAsync(actor, userId);
        return result.Error switch
        {
            UserAccountError.None => TypedResults.LocalRedirect(AccountPaths.LocalOrHome(returnUrl ?? "/users")),
            UserAccountError.NotFound => ApiProblems.Problem(StatusCodes.Status404NotFound, "user-not-found", "User not found", result.Message),
            _ => ApiProblems.Problem(StatusCodes.Status403Forbidden, "outranked-target", "Not allowed", result.Message),
        };
    }
}

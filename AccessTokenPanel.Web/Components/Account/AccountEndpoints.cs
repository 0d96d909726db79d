using System.Security.Claims;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api;
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
        endpoints.MapPost(AccountPaths.Logout, SignOutAsync);
        endpoints.MapPost(AccountPaths.LogoutEverywhere, SignOutEverywhereAsync).RequireAuthorization(PanelPolicies.SignedIn);
        endpoints.MapPost(AccountPaths.EndUserSessions, EndUserSessionsAsync).RequireAuthorization(Permission.UsersWrite);
        return endpoints;
    }

    /// <summary>Ends this browser's session in the database, so a copy of the cookie is refused afterwards too.</summary>
    private static async Task<IResult> SignOutAsync(
        HttpContext http, SignInManager<PanelUser> signIn, SessionRegistry sessions, SignInAudit audit, [FromForm] string? returnUrl)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is not null && await sessions.EndAsync(SessionCookies.SessionIdOf(http.User)))
        {
            await audit.SignedOutAsync(userId, http.User.FindFirstValue(ClaimTypes.Name), SessionCookies.AddressOf(http));
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
        await audit.SessionsEndedAsync(userId, userId, http.User.FindFirstValue(ClaimTypes.Name), ended, SessionCookies.AddressOf(http));
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(AccountPaths.Login);
    }

    /// <summary>
    /// An administrator ends another user's sessions: needs the users permission and, as every
    /// user change, holding every permission the target holds (nobody acts on a higher rank).
    /// </summary>
    private static async Task<IResult> EndUserSessionsAsync(
        HttpContext http, string userId, UserManager<PanelUser> users, PermissionResolver permissions, SessionRegistry sessions,
        SignInAudit audit, [FromForm] string? returnUrl)
    {
        var actorId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var target = await users.FindByIdAsync(userId);
        if (target is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "user-not-found", "User not found", "That user no longer exists.");
        }
        // TODO(lead, at merge): the Domain user service's rank rule replaces this check.
        var targetPermissions = PanelRoles.PermissionsOf(await users.GetRolesAsync(target));
        if (!targetPermissions.IsSubsetOf(await permissions.GetPermissionsAsync(actorId)))
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "outranked-target", "Not allowed",
                $"{target.Email} holds permissions you do not, so you cannot end their sessions.");
        }
        var ended = await sessions.EndAllAsync(target.Id);
        await audit.SessionsEndedAsync(actorId, target.Id, target.Email, ended, SessionCookies.AddressOf(http));
        return TypedResults.LocalRedirect(AccountPaths.LocalOrHome(returnUrl ?? "/users"));
    }
}

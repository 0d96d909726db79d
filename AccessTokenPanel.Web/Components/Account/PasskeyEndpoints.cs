using System.Security.Claims;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Passkeys;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// The two requests the passkey script makes before the browser's dialog: the WebAuthn options
/// (Identity's <c>SignInManager</c> makes them and keeps the challenge in its short-lived cookie).
/// The passkey itself comes back in an ordinary form post to the page, which verifies it.
/// </summary>
internal static class PasskeyEndpoints
{
    public static IEndpointRouteBuilder MapPasskeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(AccountPaths.PasskeyCreationOptions, CreationOptionsAsync).RequireAuthorization()
            .Performs(Operations.AddPasskey);
        endpoints.MapPost(AccountPaths.PasskeyRequestOptions, RequestOptionsAsync).AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.Credentials)
            .PerformsNoOperation("Starts a passkey sign-in: only a challenge, no account is named or changed.");
        return endpoints;
    }

    /// <summary>
    /// Options for creating a passkey of the signed-in user's, after the checks that need no code
    /// (allowed, under the limit) so the browser's dialog never opens for a passkey that cannot be added.
    /// The code is checked with the passkey, when the form is posted.
    /// </summary>
    private static async Task<IResult> CreationOptionsAsync(
        HttpContext http, SignInManager<PanelUser> signIn, PasskeyAccounts passkeys, PermissionResolver permissions)
    {
        var actor = await SessionActorAsync(http, permissions);
        if (await passkeys.CanAddAsync(actor) is { } refused)
        {
            return ApiProblems.Problem(refused.Kind == ErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status403Forbidden,
                refused.Code, "The passkey cannot be added", refused.Message);
        }
        var user = await signIn.UserManager.FindByIdAsync(actor.UserId!);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }
        var options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
        {
            Id = user.Id,
            Name = user.Email ?? user.UserName ?? user.Id,
            DisplayName = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.Id : user.DisplayName,
        });
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(options, "application/json");
    }

    /// <summary>Options for a passkey sign-in: any of this site's discoverable passkeys (the user picks one).</summary>
    private static async Task<IResult> RequestOptionsAsync(HttpContext http, SignInManager<PanelUser> signIn)
    {
        var options = await signIn.MakePasskeyRequestOptionsAsync(null);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(options, "application/json");
    }

    internal static async Task<Actor> SessionActorAsync(HttpContext http, PermissionResolver permissions, string? code = null)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        return Actor.Session(userId, await permissions.GetPermissionsAsync(userId), PanelClaims.IsEnrolled(http.User), code,
            via: $"from {ClientAddress.TextOf(http)}");
    }
}

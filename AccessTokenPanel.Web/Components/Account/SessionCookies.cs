using System.Security.Claims;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Web.Hosting;
using AccessTokenPanel.Web.Authentication.Sso;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// Ties the sign-in cookies to server-side sessions (<see cref="SessionRegistry"/>): each cookie
/// carries a session id, recorded when the cookie is issued and checked on every request, so
/// ending the session in the database makes the cookie useless on every instance.
/// </summary>
public static class SessionCookies
{
    public const string SessionIdClaim = "atp:sid";

    private const string ClaimedPasswordStepKey = "atp:claimed-password-step";

    /// <summary>HttpContext item: how the sign-in being completed proved the user (a <see cref="SignInMethods"/> value).</summary>
    public const string SignInMethodKey = "atp:sign-in-method";

    /// <summary>HttpContext item: the OpenID Provider's subject and session (a <see cref="ProviderSession"/>) of a single sign-on being completed.</summary>
    public const string ProviderSessionKey = "atp:provider-session";

    public static string? SessionIdOf(ClaimsPrincipal? principal) => principal?.FindFirstValue(SessionIdClaim);

    /// <summary>
    /// Application cookie: a new session per sign-in. A re-issue for the same user in a live session
    /// (Identity's <c>RefreshSignInAsync</c> after enrollment) keeps that session.
    /// </summary>
    public static async Task OnSigningInAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || SessionIdOf(context.Principal) is not null)
        {
            return;
        }
        var userId = context.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return;
        }
        var services = context.HttpContext.RequestServices;
        var sessions = services.GetRequiredService<SessionRegistry>();
        var current = context.HttpContext.User;
        var currentId = SessionIdOf(current);
        if (current.FindFirstValue(ClaimTypes.NameIdentifier) == userId
            && await sessions.IsActiveAsync(currentId, userId, SessionStage.SignedIn))
        {
            identity.AddClaim(new Claim(SessionIdClaim, currentId!));
            return;
        }
        var address = ClientAddress.TextOf(context.HttpContext);
        var method = context.HttpContext.Items[SignInMethodKey] as string;
        // The code step after single sign-on (its two-factor cookie named the provider).
        if (context.Principal.FindFirstValue(ClaimTypes.AuthenticationMethod) == SsoOptions.Scheme)
        {
            method = method == SignInMethods.PasswordAndRecoveryCode ? SignInMethods.SsoAndRecoveryCode
                : method == SignInMethods.PasswordAndCode ? SignInMethods.SsoAndCode
                : method;
        }
        var provider = context.HttpContext.Items[ProviderSessionKey] as ProviderSession;
        identity.AddClaim(new Claim(SessionIdClaim, await sessions.StartAsync(userId, SessionStage.SignedIn, address, method, provider)));
        await services.GetRequiredService<SignInAudit>().SignedInAsync(userId, context.Principal.FindFirstValue(ClaimTypes.Name), address, method);
    }

    /// <summary>The two-factor (password-step) cookie: a short-lived, single-use session of its own.</summary>
    public static async Task OnSigningInTwoFactorAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.Name is not { } userId)
        {
            return;
        }
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionRegistry>();
        identity.AddClaim(new Claim(SessionIdClaim,
            await sessions.StartAsync(userId, SessionStage.PasswordVerified, ClientAddress.TextOf(context.HttpContext))));
    }

    /// <summary>
    /// The two-factor cookie is valid while its password step is unused and under
    /// <see cref="SessionRegistry.PasswordStepLifetime"/> old (or claimed by this very request).
    /// </summary>
    public static async Task ValidateTwoFactorAsync(CookieValidatePrincipalContext context)
    {
        var sessionId = SessionIdOf(context.Principal);
        if (sessionId is not null && context.HttpContext.Items[ClaimedPasswordStepKey] as string == sessionId)
        {
            return;
        }
        // Identity keeps a passkey ceremony's challenge in this cookie too, with no user in it: no
        // password step to check; the cookie's own 5-minute expiry and Identity signing it out when
        // the answer comes bound it.
        if (context.Principal?.Identity?.Name is null && context.Properties.Items.ContainsKey("PasskeyState"))
        {
            return;
        }
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionRegistry>();
        if (!await sessions.IsActiveAsync(sessionId, context.Principal?.Identity?.Name, SessionStage.PasswordVerified))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        }
    }

    /// <summary>
    /// Claims the request's password step for one code attempt: true for exactly one request, so a
    /// password step completes one sign-in at most. <see cref="ReleasePasswordStepAsync"/> gives it
    /// back when the code was wrong.
    /// </summary>
    public static async Task<string?> ClaimPasswordStepAsync(HttpContext http)
    {
        var twoFactor = await http.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        var sessionId = SessionIdOf(twoFactor.Principal);
        if (sessionId is null || !await http.RequestServices.GetRequiredService<SessionRegistry>().EndAsync(sessionId))
        {
            return null;
        }
        http.Items[ClaimedPasswordStepKey] = sessionId;
        return sessionId;
    }

    public static async Task ReleasePasswordStepAsync(HttpContext http, string sessionId)
    {
        http.Items.Remove(ClaimedPasswordStepKey);
        await http.RequestServices.GetRequiredService<SessionRegistry>().ReopenPasswordStepAsync(sessionId);
    }
}

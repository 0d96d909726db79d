using System.Security.Claims;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// Checks the sign-in cookie against the database on every request (Identity's validator only
/// does so after an interval): its session must still be open (sign-out and "sign out everywhere"
/// end it, on every instance), and a disabled user, a changed password or a reset second factor
/// ends the session at once. An admin panel can afford the lookups per request.
/// </summary>
public static class SessionValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null)
        {
            return;
        }
        var services = context.HttpContext.RequestServices;
        var sessionId = SessionCookies.SessionIdOf(context.Principal);
        var signIn = services.GetRequiredService<SignInManager<PanelUser>>();
        var user = await services.GetRequiredService<SessionRegistry>()
            .IsActiveAsync(sessionId, context.Principal.FindFirstValue(ClaimTypes.NameIdentifier), SessionStage.SignedIn)
            ? await signIn.ValidateSecurityStampAsync(context.Principal)
            : null;
        if (user is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        if (PanelClaims.IsEnrolled(context.Principal) != await PanelClaims.HasEnrolledAsync(signIn.UserManager, user))
        {
            var principal = await signIn.CreateUserPrincipalAsync(user);
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionCookies.SessionIdClaim, sessionId!));
            context.ReplacePrincipal(principal);
            context.ShouldRenew = true;
        }
    }
}

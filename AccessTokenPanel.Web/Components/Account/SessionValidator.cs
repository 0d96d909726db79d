using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// Checks the sign-in cookie against the database on every request (Identity's validator only
/// does so after an interval): a disabled user, a changed password or a reset second factor ends
/// the session at once. An admin panel can afford the one lookup per request.
/// </summary>
public static class SessionValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null)
        {
            return;
        }
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInManager<PanelUser>>();
        var user = await signIn.ValidateSecurityStampAsync(context.Principal);
        if (user is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        if (PanelClaims.IsEnrolled(context.Principal) != await PanelClaims.HasEnrolledAsync(signIn.UserManager, user))
        {
            context.ReplacePrincipal(await signIn.CreateUserPrincipalAsync(user));
            context.ShouldRenew = true;
        }
    }
}

using System.Security.Claims;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Components.Account;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Authentication.Sso;

/// <summary>
/// The panel's side of single sign-on: the start (a form post, so no link can start it) and the
/// completion after the OpenID Connect handler has verified the provider's answer into Identity's
/// external cookie. The provider proves who the user is; the panel still asks for its own
/// authentication code unless the provider says it used a second factor and is trusted to.
/// </summary>
internal sealed class SsoSignIn(
    SignInManager<PanelUser> signIn, SingleSignOnMatch match, SignInAudit audit, IOptions<SsoOptions> options)
{
    private static readonly string[] SecondFactorMethods = ["mfa", "hwk", "otp", "swk"];

    public static IEndpointRouteBuilder MapSsoEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SsoPaths.Start, Start)
            .PerformsNoOperation("Sends the browser to the organization's OpenID Provider; nothing is changed.");
        endpoints.MapGet(SsoPaths.Complete, (HttpContext http, SsoSignIn sso, string? returnUrl) => sso.CompleteAsync(http, returnUrl))
            .PerformsNoOperation("Signs in the user the OpenID Provider vouched for, as the sign-in page does.");
        return endpoints;
    }

    private static IResult Start(HttpContext http, IOptions<SsoOptions> options, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl)
    {
        if (!options.Value.Enabled)
        {
            return TypedResults.NotFound();
        }
        var complete = AccountPaths.WithReturnUrl(SsoPaths.Complete, AccountPaths.LocalOrHome(returnUrl));
        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = complete }, [SsoOptions.Scheme]);
    }

    public async Task<IResult> CompleteAsync(HttpContext http, string? returnUrl)
    {
        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        var address = ClientAddress.TextOf(http);
        if (!external.Succeeded || external.Principal is not { } principal)
        {
            return Refuse("expired");
        }
        var subject = principal.FindFirstValue("sub");
        var email = principal.FindFirstValue("email");
        var emailVerified = principal.FindFirstValue("email_verified") is "true" or "True";
        var found = await match.FindAsync(subject, email, emailVerified);
        if (found.Refusal == SingleSignOnRefusal.NoMatch && options.Value.CreateUsers && !string.IsNullOrEmpty(subject))
        {
            found = await match.CreateAsync(subject, email, emailVerified, principal.FindFirstValue("name"), options.Value.NewUserRole,
                $"from {address}");
        }
        if (found.Refusal != SingleSignOnRefusal.None || found.User is not { } user)
        {
            await audit.FailedAsync(found.User?.Id, email ?? subject, "single sign-on", address);
            return Refuse(found.Refusal == SingleSignOnRefusal.Disabled ? "disabled" : "no-match");
        }
        if (!await signIn.CanSignInAsync(user) || await signIn.UserManager.IsLockedOutAsync(user))
        {
            await audit.FailedAsync(user.Id, user.Email, "single sign-on", address);
            return Refuse("locked");
        }

        var enrolled = await PanelClaims.HasEnrolledAsync(signIn.UserManager, user);
        var providerMfa = principal.FindAll("amr").Any(a => SecondFactorMethods.Contains(a.Value));
        if (enrolled && !(options.Value.TrustProviderMfa && providerMfa))
        {
            // The panel's own code step, exactly as after a password (its two-factor cookie and single-use step).
            var step = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
            step.AddClaim(new Claim(ClaimTypes.Name, user.Id));
            step.AddClaim(new Claim(ClaimTypes.AuthenticationMethod, SsoOptions.Scheme));
            // Carried to the session the code step starts, for the provider's logout.
            AddProviderClaims(step, subject, principal.FindFirstValue("sid"));
            await http.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(step));
            return TypedResults.LocalRedirect(AccountPaths.WithReturnUrl(AccountPaths.LoginWithAuthenticator, AccountPaths.LocalOrHome(returnUrl)));
        }
        http.Items[SessionCookies.SignInMethodKey] = enrolled ? SignInMethods.SsoWithProviderMfa : SignInMethods.Sso;
        http.Items[SessionCookies.ProviderSessionKey] = new ProviderSession(subject, principal.FindFirstValue("sid"));
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(ClaimTypes.AuthenticationMethod, SsoOptions.Scheme)]);
        // Without an authenticator the panel's policies send the user to enrollment first.
        return TypedResults.LocalRedirect(enrolled ? AccountPaths.LocalOrHome(returnUrl) : AccountPaths.EnrollAuthenticator);
    }

    /// <summary>The provider's subject and session id on the code step's cookie (see <see cref="ProviderSessionOf"/>).</summary>
    private static void AddProviderClaims(ClaimsIdentity identity, string? subject, string? sessionId)
    {
        if (!string.IsNullOrEmpty(subject))
        {
            identity.AddClaim(new Claim(ProviderSubjectClaim, subject));
        }
        if (!string.IsNullOrEmpty(sessionId))
        {
            identity.AddClaim(new Claim(ProviderSessionIdClaim, sessionId));
        }
    }

    private const string ProviderSubjectClaim = "atp:sso-sub";
    private const string ProviderSessionIdClaim = "atp:sso-sid";

    /// <summary>The provider's subject and session id that the code step's cookie carries after single sign-on, or null.</summary>
    public static ProviderSession? ProviderSessionOf(ClaimsPrincipal? twoFactor) =>
        twoFactor?.FindFirstValue(ClaimTypes.AuthenticationMethod) == SsoOptions.Scheme
            ? new ProviderSession(twoFactor.FindFirstValue(ProviderSubjectClaim), twoFactor.FindFirstValue(ProviderSessionIdClaim))
            : null;

    private static IResult Refuse(string reason) => TypedResults.LocalRedirect($"{SsoPaths.Refused}?reason={reason}");
}

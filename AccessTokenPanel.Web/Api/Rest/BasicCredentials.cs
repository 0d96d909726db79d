using System.Net.Http.Headers;
using System.Text;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Net.Http.Headers;

namespace AccessTokenPanel.Web.Api.Rest;

/// <summary>
/// HTTP Basic credentials (email and password) checked with Identity: lockout counted on every
/// wrong password, locked-out and disabled accounts refused. Used by the user-token endpoints.
/// </summary>
internal sealed class BasicCredentials(
    UserManager<PanelUser> users, StepUpVerifier stepUp, DecoyPasswordCheck decoy, SignInAudit audit,
    Microsoft.Extensions.Options.IOptions<Authentication.Sso.SsoOptions> sso)
{
    public const string OtpHeader = "X-OTP";

    /// <summary>
    /// The password alone. <paramref name="complete"/> says it is the whole check, so success clears
    /// the failure count; when a code follows, only the code's success does (or an attacker holding
    /// the password could try codes for ever).
    /// </summary>
    public async Task<(PanelUser? User, ProblemHttpResult? Refusal)> VerifyPasswordAsync(HttpContext http, bool complete = true)
    {
        if (!TryRead(http.Request.Headers.Authorization, out var email, out var password))
        {
            return (null, Unauthorized(http, "Send your email and password with HTTP Basic authentication."));
        }
        var address = ClientAddress.TextOf(http);
        var user = await users.FindByEmailAsync(email) ?? await users.FindByNameAsync(email);
        if (user is null)
        {
            // The same work as a wrong password for a real account, so the answer's timing tells nothing.
            decoy.Spend(password);
            await audit.FailedAsync(null, email, "API password", address);
            return (null, Unauthorized(http, "The email or password is not correct."));
        }
        if (await users.IsLockedOutAsync(user))
        {
            await audit.FailedAsync(user.Id, user.Email, "API password, account locked", address);
            return (null, LockedOut());
        }
        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            await audit.FailedAsync(user.Id, user.Email, "API password", address);
            if (await users.IsLockedOutAsync(user))
            {
                await audit.LockedOutAsync(user.Id, user.Email, address);
                return (null, LockedOut());
            }
            return (null, Unauthorized(http, "The email or password is not correct."));
        }
        if (user.IsDisabled)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status403Forbidden, "account-disabled", "Account disabled", "This account is disabled."));
        }
        if (!await Authentication.Sso.SsoSignInPolicy.MayUsePasswordAsync(sso.Value, users, user))
        {
            await audit.FailedAsync(user.Id, user.Email, "API password, single sign-on only", address);
            return (null, ApiProblems.Problem(StatusCodes.Status403Forbidden, "sso-only", "Single sign-on only",
                "Passwords are turned off here (Sso:Only): only the break-glass administrator may use one."));
        }
        if (complete)
        {
            await users.ResetAccessFailedCountAsync(user);
        }
        return (user, null);
    }

    /// <summary>Password, then the current TOTP code from <c>X-OTP</c> (each code once; failures count toward lockout).</summary>
    public async Task<(PanelUser? User, ProblemHttpResult? Refusal)> VerifyPasswordAndCodeAsync(HttpContext http)
    {
        var (user, refusal) = await VerifyPasswordAsync(http, complete: false);
        if (user is null)
        {
            return (null, refusal);
        }
        var codeRefusal = await stepUp.VerifyAsync(CodeActor(http, user, "with a password and code"), http.RequestAborted);
        if (codeRefusal is not null)
        {
            return (null, ApiProblems.From(codeRefusal));
        }
        await PasswordAndCodeSucceededAsync(user);
        return (user, null);
    }

    /// <summary>The password and the code that followed it were both right: the password failures are forgotten.</summary>
    public Task PasswordAndCodeSucceededAsync(PanelUser user) => users.ResetAccessFailedCountAsync(user);

    /// <summary>
    /// The user who proved their password, as the actor whose code in <c>X-OTP</c> an operation checks
    /// (a code failure counts against the user, like a sign-in's).
    /// </summary>
    public static Actor CodeActor(HttpContext http, PanelUser user, string how) => Actor.Session(
        user.Id, Actor.NoPermissions, enrolled: true, stepUpCode: http.Request.Headers[OtpHeader].ToString() is { Length: > 0 } code ? code : null,
        via: $"via the REST API {how} from {ClientAddress.TextOf(http)}");

    private static ProblemHttpResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.Append(HeaderNames.WWWAuthenticate, "Basic realm=\"AccessTokenPanel\", charset=\"UTF-8\"");
        return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "credentials-invalid", "Invalid credentials", detail);
    }

    private static ProblemHttpResult LockedOut() =>
        ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "locked-out", "Account locked",
            "Too many failed attempts: the account is locked for a while. Try again later.");

    private static bool TryRead(string? header, out string email, out string password)
    {
        email = password = "";
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(value.Parameter))
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        email = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }
}

using System.Net.Http.Headers;
using System.Text;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.TwoFactor;
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
    UserManager<PanelUser> users, SecondFactorService secondFactor, DecoyPasswordCheck decoy, SignInAudit audit)
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
        var codeRefusal = await VerifyCodeAsync(user, http.Request.Headers[OtpHeader], secondFactor);
        return codeRefusal is null ? (user, null) : (null, codeRefusal);
    }

    /// <summary>The step-up check on <c>X-OTP</c>; null when the code was accepted.</summary>
    public static async Task<ProblemHttpResult?> VerifyCodeAsync(PanelUser user, string? code, SecondFactorService secondFactor)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "code-required", "Authentication code required",
                $"Send the current code from your authenticator app in the {OtpHeader} header.");
        }
        return await secondFactor.VerifyAsync(user, code) switch
        {
            StepUpResult.Verified => null,
            StepUpResult.ReplayedCode => ApiProblems.Problem(StatusCodes.Status401Unauthorized, "code-replayed", "Authentication code already used",
                "This code was already used. Wait for the next code from your authenticator app."),
            StepUpResult.NotEnrolled => ApiProblems.Problem(StatusCodes.Status403Forbidden, "not-enrolled", "Two-factor authentication not set up",
                "Set up an authenticator app in the panel before using the API."),
            StepUpResult.LockedOut => LockedOut(),
            StepUpResult.TooManyAttempts => ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "too-many-attempts", "Too many attempts at once",
                "Other authentication codes for this account are being checked right now. Try again in a moment."),
            _ => ApiProblems.Problem(StatusCodes.Status401Unauthorized, "code-invalid", "Authentication code not valid",
                "The authentication code is not valid. Use the current code from your authenticator app."),
        };
    }

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

using System.Security.Claims;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>Claims the panel adds to the sign-in cookie.</summary>
public static class PanelClaims
{
    /// <summary>Present (value <see cref="Enrolled"/>) once the user has enrolled an authenticator.</summary>
    public const string TotpEnrolled = "atp:totp";
    public const string Enrolled = "enrolled";

    public static bool IsEnrolled(ClaimsPrincipal principal) => principal.HasClaim(TotpEnrolled, Enrolled);

    /// <summary>
    /// Two-factor on and a key to check codes against. Both are needed: with the flag but no key,
    /// Identity would sign the user in on the password alone.
    /// </summary>
    public static async Task<bool> HasEnrolledAsync(UserManager<PanelUser> users, PanelUser user) =>
        user.TwoFactorEnabled && !string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user));
}

public static class PanelPolicies
{
    /// <summary>Signed in, enrolled or not: the enrollment page and sign-out.</summary>
    public const string SignedIn = "signed-in";
}

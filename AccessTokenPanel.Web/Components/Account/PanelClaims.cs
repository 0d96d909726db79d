using System.Security.Claims;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>Claims the panel adds to the sign-in cookie.</summary>
public static class PanelClaims
{
    /// <summary>Present (value <see cref="Enrolled"/>) once the user has enrolled an authenticator.</summary>
    public const string TotpEnrolled = "atp:totp";
    public const string Enrolled = "enrolled";

    public static bool IsEnrolled(ClaimsPrincipal principal) => principal.HasClaim(TotpEnrolled, Enrolled);
}

public static class PanelPolicies
{
    /// <summary>Signed in, enrolled or not: the enrollment page and sign-out.</summary>
    public const string SignedIn = "signed-in";
}

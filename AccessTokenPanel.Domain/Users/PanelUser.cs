using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Domain.Users;

/// <summary>An administrator of the panel. The email address is the user name.</summary>
public class PanelUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>A disabled user cannot sign in and none of their tokens are accepted.</summary>
    public bool IsDisabled { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// The last TOTP time step accepted for this user. A code from this step or an earlier one is
    /// refused, which is what stops a code being used twice (sign-in and step-up alike).
    /// </summary>
    public long? LastTotpTimeStep { get; set; }

    /// <summary>An identifier assigned by an identity provider through SCIM (RFC 7643 externalId).</summary>
    public string? ExternalId { get; set; }
}

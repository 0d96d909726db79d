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

    /// <summary>Authentication-code attempts charged since the last right code (see <c>TotpAttemptGate</c>).</summary>
    public int TotpFailedAttempts { get; set; }

    /// <summary>Until when (UTC) authentication codes are refused unchecked after too many wrong ones.</summary>
    public DateTime? TotpLockedUntil { get; set; }

    /// <summary>SCIM name.givenName (RFC 7643 4.1.1), as the identity provider sent it.</summary>
    public string? GivenName { get; set; }

    /// <summary>SCIM name.familyName.</summary>
    public string? FamilyName { get; set; }

    /// <summary>SCIM name.formatted: the full name as the provider formats it (displayName stays separate).</summary>
    public string? FormattedName { get; set; }

    /// <summary>An identifier assigned by an identity provider through SCIM (RFC 7643 externalId).</summary>
    public string? ExternalId { get; set; }

    /// <summary>
    /// When the user was deleted (SCIM DELETE). The account stays, disabled, for the audit trail and
    /// the token history, but is gone for SCIM and its name is free for a new account.
    /// </summary>
    public DateTime? DeletedAt { get; set; }

    /// <summary>
    /// A principal that is not a person: no password, no second factor, no sign-in, not a SCIM user.
    /// Its tokens act with its role and are issued by its owners (<c>ServiceAccountOwner</c>).
    /// </summary>
    public bool IsServiceAccount { get; set; }

    /// <summary>What a service account is for.</summary>
    public string? Description { get; set; }

    /// <summary>When the administrators were told that this service account has no active owner (once per time it loses them).</summary>
    public DateTime? OwnerlessNoticeAt { get; set; }

    /// <summary>
    /// The language the user chose for the panel and its notices (<c>en</c>, <c>ja</c>); null: none
    /// chosen, the browser's language decides.
    /// </summary>
    public string? PreferredLanguage { get; set; }
}

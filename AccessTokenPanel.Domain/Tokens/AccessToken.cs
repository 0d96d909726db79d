namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// An issued token. Holds the SHA-256 of the secret and a non-secret hint, never the secret itself.
/// All instants are UTC.
/// </summary>
public class AccessToken
{
    public Guid Id { get; set; }
    public required string OwnerId { get; set; }
    public required string Name { get; set; }
    public ApiType ApiType { get; set; }

    /// <summary>The delegated panel role; set for Configuration API tokens only.</summary>
    public string? DelegatedRole { get; set; }

    public required byte[] SecretHash { get; set; }

    /// <summary>A short non-secret reminder of the secret, e.g. <c>atp_rest_…x7Qa</c>.</summary>
    public required string Hint { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedById { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public string? LastUsedFrom { get; set; }

    /// <summary>The token this one was issued with (programmatic issuance); revoking it revokes this one.</summary>
    public Guid? ParentTokenId { get; set; }

    /// <summary>A long-lived token, or a short-lived access token exchanged for one at the token endpoint.</summary>
    public TokenKind Kind { get; set; }

    /// <summary>
    /// When the token was rotated. Rotation shortens <see cref="ExpiresAt"/> to the end of the
    /// overlap, so the old secret is refused from then on by the ordinary expiry check.
    /// </summary>
    public DateTime? RotatedAt { get; set; }

    /// <summary>The token that replaced this one at rotation.</summary>
    public Guid? ReplacedByTokenId { get; set; }

    /// <summary>
    /// The client addresses and networks this token may be used from, normalised and comma-separated
    /// (see <see cref="AddressAllowlist"/>); null means from anywhere.
    /// </summary>
    public string? AllowedAddresses { get; set; }

    /// <summary>
    /// How far the expiry notices have got: the smallest threshold (days before expiry) already
    /// handled, 0 once the "has expired" notice is, null before any (see <c>ExpiryNoticeScanner</c>).
    /// </summary>
    public int? ExpiryNoticeStage { get; set; }

    /// <summary>Wrong step-up codes sent with this token since its last right one (see <c>TotpAttemptGate</c>).</summary>
    public int StepUpFailedAttempts { get; set; }

    /// <summary>Until when step-up codes sent with this token are refused unchecked; the owner's sign-in is not affected.</summary>
    public DateTime? StepUpLockedUntil { get; set; }

    /// <summary>
    /// When the owners were told that the token will be revoked for not being used (idle revocation);
    /// a use after it (<see cref="LastUsedAt"/> later) makes the notice void.
    /// </summary>
    public DateTime? IdleNoticeAt { get; set; }

    /// <summary>Rotated, and its old secret still works until <see cref="ExpiresAt"/>.</summary>
    public bool IsRotatingAt(DateTime utcNow) => RotatedAt is not null && StatusAt(utcNow) == TokenStatus.Active;

    public TokenStatus StatusAt(DateTime utcNow) =>
        RevokedAt is not null ? TokenStatus.Revoked
        : ExpiresAt <= utcNow ? TokenStatus.Expired
        : TokenStatus.Active;
}

public enum TokenKind
{
    /// <summary>Issued on the screen or through an API; lives days. Doubles as an OAuth refresh token.</summary>
    Standard = 0,

    /// <summary>Derived from a standard token at the OAuth token endpoint; lives minutes; cannot be exchanged again.</summary>
    Access = 1,
}

public enum TokenStatus
{
    Active,
    Expired,
    Revoked,
}

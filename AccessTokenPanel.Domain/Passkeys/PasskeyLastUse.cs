namespace AccessTokenPanel.Domain.Passkeys;

/// <summary>
/// When a passkey last signed someone in. Identity's passkey row keeps only when it was added and
/// its signature counter, and "last used" is what tells a user which passkey is the forgotten one.
/// Deleted with the passkey (by <c>PasskeyAccounts</c>) or the user.
/// </summary>
public class PasskeyLastUse
{
    /// <summary>The credential id, as in Identity's passkey row (its key).</summary>
    public required byte[] CredentialId { get; set; }

    public required string UserId { get; set; }

    public DateTime LastUsedAt { get; set; }
}

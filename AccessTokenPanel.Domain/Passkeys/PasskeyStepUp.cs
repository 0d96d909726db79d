namespace AccessTokenPanel.Domain.Passkeys;

/// <summary>
/// A passkey assertion that Identity verified for a step-up, waiting to be spent by one operation.
/// The screen gets only a random handle (its hash is the key); the operation spends it with a
/// conditional update, so one assertion serves one step-up, even on two instances at once.
/// </summary>
public class PasskeyStepUp
{
    /// <summary>SHA-256 of the handle the screen holds, base64url.</summary>
    public required string Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>
    /// SHA-256 of the WebAuthn challenge the assertion signed, base64url; unique, so the same
    /// assertion posted twice (the state cookie replayed with it) cannot make a second proof.
    /// </summary>
    public required string ChallengeHash { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When an operation spent it; null while it is unused.</summary>
    public DateTime? UsedAt { get; set; }
}

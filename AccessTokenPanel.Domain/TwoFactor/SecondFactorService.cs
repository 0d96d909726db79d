using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Domain.TwoFactor;

public enum StepUpResult
{
    Verified,
    InvalidCode,
    ReplayedCode,
    NotEnrolled,
    LockedOut,
    /// <summary>Other codes for this user are being checked at this moment, as many as the lockout allows: try again.</summary>
    TooManyAttempts,
}

/// <summary>
/// The step-up check every sensitive action uses (token generation, programmatic issuance): a
/// current code, once, with attempts counted by <see cref="TotpAttemptGate"/> like the sign-in code's.
/// </summary>
/// <remarks>
/// Nothing here writes the user row through Identity: a request that lost a race would write its
/// stale copy back (reopening a spent code or leaving a tracked change that fails the caller's save).
/// </remarks>
public sealed class SecondFactorService(UserManager<PanelUser> users, TotpVerifier verifier)
{
    public async Task<StepUpResult> VerifyAsync(PanelUser user, string? code, CancellationToken cancellationToken = default)
    {
        // Identity's lockout (wrong passwords) also stops step-up.
        if (await users.IsLockedOutAsync(user))
        {
            return StepUpResult.LockedOut;
        }
        return await verifier.CheckAsync(users, user, code, cancellationToken) switch
        {
            TotpCheck.Valid => StepUpResult.Verified,
            TotpCheck.NotEnrolled => StepUpResult.NotEnrolled,
            TotpCheck.LockedOut => StepUpResult.LockedOut,
            TotpCheck.TooManyAttempts => StepUpResult.TooManyAttempts,
            TotpCheck.Replayed => StepUpResult.ReplayedCode,
            _ => StepUpResult.InvalidCode,
        };
    }
}

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
}

/// <summary>
/// The step-up check every sensitive action uses (token generation, programmatic issuance): a
/// current code, once, and failures counting toward the same lockout as sign-in.
/// </summary>
public sealed class SecondFactorService(UserManager<PanelUser> users, TotpVerifier verifier)
{
    public async Task<StepUpResult> VerifyAsync(PanelUser user, string? code, CancellationToken cancellationToken = default)
    {
        if (await users.IsLockedOutAsync(user))
        {
            return StepUpResult.LockedOut;
        }
        var check = await verifier.CheckAsync(users, user, code, cancellationToken);
        switch (check)
        {
            case TotpCheck.Valid:
                await users.ResetAccessFailedCountAsync(user);
                return StepUpResult.Verified;
            case TotpCheck.NotEnrolled:
                return StepUpResult.NotEnrolled;
            default:
                await users.AccessFailedAsync(user);
                if (await users.IsLockedOutAsync(user))
                {
                    return StepUpResult.LockedOut;
                }
                return check == TotpCheck.Replayed ? StepUpResult.ReplayedCode : StepUpResult.InvalidCode;
        }
    }
}

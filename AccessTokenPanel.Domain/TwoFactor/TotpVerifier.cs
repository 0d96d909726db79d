using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Domain.TwoFactor;

public enum TotpCheck
{
    Valid,
    Invalid,
    Replayed,
    NotEnrolled,
}

/// <summary>Checks a code against the user's authenticator key (Identity's key store) and claims its step.</summary>
public sealed class TotpVerifier(TimeStepReplayGuard replayGuard, TimeProvider time)
{
    public async Task<TotpCheck> CheckAsync(UserManager<PanelUser> users, PanelUser user, string? code, CancellationToken cancellationToken = default)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        var keyBytes = string.IsNullOrEmpty(key) ? null : Base32.Decode(key);
        if (keyBytes is null || keyBytes.Length == 0)
        {
            return TotpCheck.NotEnrolled;
        }
        var normalized = (code ?? "").Replace(" ", "").Replace("-", "");
        var step = Totp.FindMatchingStep(keyBytes, normalized, time.GetUtcNow());
        if (step is null)
        {
            return TotpCheck.Invalid;
        }
        return await replayGuard.TryClaimAsync(user, step.Value, cancellationToken) ? TotpCheck.Valid : TotpCheck.Replayed;
    }
}

using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace AccessTokenPanel.Domain.TwoFactor;

public enum TotpCheck
{
    Valid,
    Invalid,
    Replayed,
    NotEnrolled,
    /// <summary>Too many wrong codes: refused without being checked.</summary>
    LockedOut,
    /// <summary>This wrong code reached the limit: locked out from now on.</summary>
    LockedNow,
    /// <summary>As many codes as the lockout limit are being checked at once: refused unchecked, try again.</summary>
    TooManyAttempts,
}

/// <summary>
/// Checks a code against the user's authenticator key (Identity's key store): RFC 6238 by Otp.NET
/// (6 digits, 30-second steps, one step of drift either way), the attempt charged before the code is
/// looked at, and the matched step claimed so the code works once.
/// </summary>
public sealed class TotpVerifier(TotpAttemptGate gate, TimeStepReplayGuard replayGuard, TimeProvider time)
{
    public const int Digits = 6;
    private static readonly VerificationWindow Drift = new(previous: 1, future: 1);

    // tokenId: the panel token the code came with; attempts count against it instead of the user.
    public async Task<TotpCheck> CheckAsync(UserManager<PanelUser> users, PanelUser user, string? code, CancellationToken cancellationToken = default,
        Guid? tokenId = null)
    {
        var key = AuthenticatorKey.Decode(await users.GetAuthenticatorKeyAsync(user));
        if (key is null)
        {
            return TotpCheck.NotEnrolled;
        }
        switch (await gate.TryChargeAsync(user, tokenId, cancellationToken))
        {
            case AttemptCharge.LockedOut:
                return TotpCheck.LockedOut;
            case AttemptCharge.Busy:
                return TotpCheck.TooManyAttempts;
        }
        var normalized = (code ?? "").Replace(" ", "").Replace("-", "");
        // Otp.NET reads the DateTime's ticks and ignores its Kind: always hand it UTC (recipe pitfall 10).
        var now = time.GetUtcNow().UtcDateTime;
        if (normalized.Length != Digits || !normalized.All(char.IsAsciiDigit)
            || !new Totp(key, totpSize: Digits).VerifyTotp(now, normalized, out var step, Drift))
        {
            var (lockedUntil, lockedNow) = await gate.FailAsync(user, tokenId, cancellationToken);
            return lockedNow ? TotpCheck.LockedNow : lockedUntil is null ? TotpCheck.Invalid : TotpCheck.LockedOut;
        }
        if (!await replayGuard.TryClaimAsync(user, step, cancellationToken))
        {
            // A right code used twice is no guess; counting it would let a double submit lock the user out.
            await gate.ReleaseAsync(user, tokenId, cancellationToken);
            return TotpCheck.Replayed;
        }
        await gate.SucceedAsync(user, tokenId, cancellationToken);
        return TotpCheck.Valid;
    }
}

using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Passkeys;
using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Authorization;

/// <summary>
/// Limits how fast codes may be tried for one user, wherever they are typed (a circuit's events are
/// no HTTP requests, so the rate limiting middleware never sees the screens' codes).
/// </summary>
public interface IStepUpThrottle
{
    /// <summary>True when another code may be tried for this user now.</summary>
    bool TryAcquire(string userId);
}

/// <summary>The codes and messages of step-up refusals, the same on every surface.</summary>
public static class StepUpErrors
{
    public const string Field = "Code";
    public const string CodeRequired = "code-required";
    public const string CodeInvalid = "code-invalid";
    public const string CodeReplayed = "code-replayed";
    public const string NotEnrolled = "not-enrolled";
    public const string LockedOut = "locked-out";
    public const string TooManyAttempts = "too-many-attempts";

    public static readonly DomainError Required = new(CodeRequired, Field,
        "Enter the 6-digit code from your authenticator app.", ErrorKind.StepUpFailed);
    public static readonly DomainError Invalid = new(CodeInvalid, Field,
        "That code is not right. Enter the current 6-digit code from your authenticator app.", ErrorKind.StepUpFailed);
    public static readonly DomainError Replayed = new(CodeReplayed, Field,
        "That code was already used. Wait for your app to show a new code and enter it.", ErrorKind.StepUpFailed);
    public static readonly DomainError Unenrolled = new(NotEnrolled, Field,
        "Set up your authenticator app (two-factor authentication) first.", ErrorKind.Forbidden);
    public static readonly DomainError AccountLocked = new(LockedOut, Field,
        "Too many wrong codes: your account is locked for a while. Try again later.", ErrorKind.TooManyAttempts);
    public static readonly DomainError TokenLocked = new(LockedOut, Field,
        "Too many wrong codes were sent with this token: its step-up is locked for a while (your sign-in is not). Try again later.",
        ErrorKind.TooManyAttempts);
    public static readonly DomainError Busy = new(TooManyAttempts, Field,
        "Other codes for your account are being checked right now. Try again in a moment.", ErrorKind.TooManyAttempts);
    public static readonly DomainError Throttled = new(TooManyAttempts, Field,
        "Too many attempts. Wait a minute and try again.", ErrorKind.TooManyAttempts);

    public const string PasskeyInvalid = "passkey-invalid";
    public const string PasskeyAssertionFailed = "passkey-failed";
    public const string PasskeyAssertionReplayed = "passkey-replayed";
    public const string PasskeyUnverified = "passkey-not-user-verified";

    /// <summary>The proof handed to the operation is unknown, someone else's, spent or older than its lifetime.</summary>
    public static readonly DomainError PasskeyExpired = new(PasskeyInvalid, Field,
        "The passkey check expired or was already used. Use your passkey again, or enter a code.", ErrorKind.StepUpFailed);
    public static readonly DomainError PasskeyFailed = new(PasskeyAssertionFailed, Field,
        "That passkey could not be verified for your account. Try again, or enter a code.", ErrorKind.StepUpFailed);
    public static readonly DomainError PasskeyReplayed = new(PasskeyAssertionReplayed, Field,
        "That passkey answer was already used. Use your passkey again.", ErrorKind.StepUpFailed);
    public static readonly DomainError PasskeyNotUserVerified = new(PasskeyUnverified, Field,
        "Your authenticator did not verify you (PIN, fingerprint or face), which a passkey step-up needs.", ErrorKind.StepUpFailed);
}

/// <summary>
/// The step-up check, written once for every way in: the actor's current authentication code
/// (<see cref="Actor.StepUpCode"/>), once (replay refused), attempts counted before the code is
/// looked at. A code that came with a panel token counts against that token, so a token's holder
/// can lock the token's step-up but never the owner's sign-in; the owner gets a notice when it locks.
/// On the screens a verified passkey (<see cref="Actor.StepUpPasskeyProof"/>, made by
/// <see cref="PasskeyStepUps"/>) does instead of the code, once; only sessions may present one.
/// </summary>
public sealed class StepUpVerifier(
    PanelDbContext db, UserManager<PanelUser> users, TotpVerifier verifier, NoticeBoard notices, IEnumerable<IStepUpThrottle> throttles,
    PasskeyStepUps passkeys)
{
    /// <summary>Null when the code (or the passkey proof) was right; otherwise the refusal.</summary>
    public async Task<DomainError?> VerifyAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (actor.UserId is null)
        {
            return StepUpErrors.Unenrolled;
        }
        if (!string.IsNullOrEmpty(actor.StepUpPasskeyProof))
        {
            return await VerifyPasskeyAsync(actor, actor.StepUpPasskeyProof, cancellationToken);
        }
        var code = actor.StepUpCode?.Replace(" ", "", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(code))
        {
            return StepUpErrors.Required;
        }
        if (throttles.Any(t => !t.TryAcquire(actor.UserId)))
        {
            return StepUpErrors.Throttled;
        }
        var user = await users.FindByIdAsync(actor.UserId);
        if (user is null || user.IsDisabled)
        {
            return StepUpErrors.Unenrolled;
        }
        // Identity's lockout (wrong passwords) also stops step-up.
        if (await users.IsLockedOutAsync(user))
        {
            return StepUpErrors.AccountLocked;
        }
        var tokenId = actor.IsTokenActor ? actor.TokenId : null;
        var check = await verifier.CheckAsync(users, user, code, cancellationToken, tokenId);
        if (check == TotpCheck.LockedNow && tokenId is { } id)
        {
            await TellOwnerAsync(id, cancellationToken);
        }
        return check switch
        {
            TotpCheck.Valid => null,
            TotpCheck.NotEnrolled => StepUpErrors.Unenrolled,
            TotpCheck.LockedOut or TotpCheck.LockedNow => tokenId is null ? StepUpErrors.AccountLocked : StepUpErrors.TokenLocked,
            TotpCheck.TooManyAttempts => StepUpErrors.Busy,
            TotpCheck.Replayed => StepUpErrors.Replayed,
            _ => StepUpErrors.Invalid,
        };
    }

    private async Task<DomainError?> VerifyPasskeyAsync(Actor actor, string proof, CancellationToken cancellationToken)
    {
        // The APIs keep the code: a proof is made for, and spent by, a signed-in session only.
        if (actor.Kind != ActorKind.Session)
        {
            return StepUpErrors.PasskeyExpired;
        }
        var user = await users.FindByIdAsync(actor.UserId!);
        if (user is null || user.IsDisabled)
        {
            return StepUpErrors.Unenrolled;
        }
        if (await users.IsLockedOutAsync(user))
        {
            return StepUpErrors.AccountLocked;
        }
        return await passkeys.SpendAsync(user.Id, proof, cancellationToken) ? null : StepUpErrors.PasskeyExpired;
    }

    /// <summary>One notice per lockout: only the failure whose conditional update locked the token gets here.</summary>
    private async Task TellOwnerAsync(Guid tokenId, CancellationToken cancellationToken)
    {
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token?.StepUpLockedUntil is not { } until)
        {
            return;
        }
        await notices.AddForOwnersAsync(token, NoticeKind.StepUpLocked, NoticeBoard.StepUpLockedKey(until),
            details: $"Too many wrong authentication codes were sent with this token; codes sent with it are refused until {until:yyyy-MM-dd HH:mm} UTC.",
            cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }
}

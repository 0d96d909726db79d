using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Domain.TwoFactor;

/// <summary>What charging an attempt came to.</summary>
public enum AttemptCharge
{
    /// <summary>Below the limit: the code may be checked.</summary>
    Charged,
    /// <summary>Locked out: the code must not be checked.</summary>
    LockedOut,
    /// <summary>As many codes as the limit are being checked at this moment: try again.</summary>
    Busy,
}

/// <summary>
/// Counts authentication-code attempts in the database, atomically, before each code is checked:
/// a code is only looked at after a conditional update has charged an attempt below the limit, so
/// however many requests arrive at once, at most <see cref="LockoutOptions.MaxFailedAccessAttempts"/>
/// guesses are checked before the subject is locked out for <see cref="LockoutOptions.DefaultLockoutTimeSpan"/>.
/// The subject is the user (sign-in, codes typed on the panel's pages), or the panel token a step-up
/// code came with (<c>tokenId</c>): whoever holds one of a user's tokens can then only lock that
/// token's step-up, never the user's sign-in.
/// </summary>
/// <remarks>
/// Identity's own counter (read, add one, write the whole user row back) lets parallel requests
/// each see "no failures yet", so it cannot bound parallel guesses; it still counts password failures.
/// </remarks>
public sealed class TotpAttemptGate(PanelDbContext db, TimeProvider time, IOptions<IdentityOptions> identity)
{
    private int Limit => identity.Value.Lockout.MaxFailedAccessAttempts;

    /// <summary>Charges one attempt to the user, or to the token when <paramref name="tokenId"/> is given.</summary>
    public async Task<AttemptCharge> TryChargeAsync(PanelUser user, Guid? tokenId = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var limit = Limit;
        int charged;
        DateTime? lockedUntil = null;
        if (tokenId is { } id)
        {
            // A lockout that has run out starts a new count.
            await db.AccessTokens
                .Where(t => t.Id == id && t.StepUpLockedUntil != null && t.StepUpLockedUntil <= now)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.StepUpLockedUntil, (DateTime?)null).SetProperty(t => t.StepUpFailedAttempts, 0), cancellationToken);
            charged = await db.AccessTokens
                .Where(t => t.Id == id && t.StepUpLockedUntil == null && t.StepUpFailedAttempts < limit)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.StepUpFailedAttempts, t => t.StepUpFailedAttempts + 1), cancellationToken);
            if (charged == 0)
            {
                lockedUntil = await db.AccessTokens.Where(t => t.Id == id).Select(t => t.StepUpLockedUntil).SingleOrDefaultAsync(cancellationToken);
            }
        }
        else
        {
            await db.Users
                .Where(u => u.Id == user.Id && u.TotpLockedUntil != null && u.TotpLockedUntil <= now)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.TotpLockedUntil, (DateTime?)null).SetProperty(u => u.TotpFailedAttempts, 0), cancellationToken);
            charged = await db.Users
                .Where(u => u.Id == user.Id && u.TotpLockedUntil == null && u.TotpFailedAttempts < limit)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.TotpFailedAttempts, u => u.TotpFailedAttempts + 1), cancellationToken);
            if (charged == 0)
            {
                lockedUntil = user.TotpLockedUntil =
                    await db.Users.Where(u => u.Id == user.Id).Select(u => u.TotpLockedUntil).SingleOrDefaultAsync(cancellationToken);
            }
        }
        return charged == 1 ? AttemptCharge.Charged : lockedUntil is null ? AttemptCharge.Busy : AttemptCharge.LockedOut;
    }

    /// <summary>
    /// The charged attempt failed: it stays counted. Returns the lockout's end when the subject is
    /// now locked out, and whether this very failure locked it (so only one caller reports it).
    /// </summary>
    public async Task<(DateTime? LockedUntil, bool LockedNow)> FailAsync(PanelUser user, Guid? tokenId = null, CancellationToken cancellationToken = default)
    {
        var limit = Limit;
        var until = time.GetUtcNow().UtcDateTime + identity.Value.Lockout.DefaultLockoutTimeSpan;
        int locked;
        DateTime? lockedUntil;
        if (tokenId is { } id)
        {
            locked = await db.AccessTokens
                .Where(t => t.Id == id && t.StepUpLockedUntil == null && t.StepUpFailedAttempts >= limit)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.StepUpLockedUntil, until), cancellationToken);
            lockedUntil = await db.AccessTokens.Where(t => t.Id == id).Select(t => t.StepUpLockedUntil).SingleOrDefaultAsync(cancellationToken);
        }
        else
        {
            locked = await db.Users
                .Where(u => u.Id == user.Id && u.TotpLockedUntil == null && u.TotpFailedAttempts >= limit)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.TotpLockedUntil, until), cancellationToken);
            lockedUntil = user.TotpLockedUntil =
                await db.Users.Where(u => u.Id == user.Id).Select(u => u.TotpLockedUntil).SingleOrDefaultAsync(cancellationToken);
        }
        return (lockedUntil, locked == 1);
    }

    /// <summary>The charged attempt was no guess (a right code, already used): it is taken back.</summary>
    public Task ReleaseAsync(PanelUser user, Guid? tokenId = null, CancellationToken cancellationToken = default) =>
        tokenId is { } id
            ? db.AccessTokens.Where(t => t.Id == id && t.StepUpFailedAttempts > 0)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.StepUpFailedAttempts, t => t.StepUpFailedAttempts - 1), cancellationToken)
            : db.Users.Where(u => u.Id == user.Id && u.TotpFailedAttempts > 0)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.TotpFailedAttempts, u => u.TotpFailedAttempts - 1), cancellationToken);

    /// <summary>A right code clears the count of failures.</summary>
    public Task SucceedAsync(PanelUser user, Guid? tokenId = null, CancellationToken cancellationToken = default) =>
        tokenId is { } id
            ? db.AccessTokens.Where(t => t.Id == id && t.StepUpFailedAttempts > 0)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.StepUpFailedAttempts, 0), cancellationToken)
            : db.Users.Where(u => u.Id == user.Id && u.TotpFailedAttempts > 0)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.TotpFailedAttempts, 0), cancellationToken);

    /// <summary>Clears the count, any lockout and the last used step: the user enrolls a new key.</summary>
    public Task ResetAsync(string userId, CancellationToken cancellationToken = default) =>
        db.Users
            .Where(u => u.Id == userId)
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.TotpFailedAttempts, 0)
                .SetProperty(u => u.TotpLockedUntil, (DateTime?)null)
                .SetProperty(u => u.LastTotpTimeStep, (long?)null), cancellationToken);
}

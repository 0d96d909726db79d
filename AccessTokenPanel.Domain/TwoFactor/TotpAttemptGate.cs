using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Domain.TwoFactor;

/// <summary>
/// Counts authentication-code attempts in the database, atomically, before each code is checked:
/// a code is only looked at after a conditional update has charged an attempt below the limit, so
/// however many requests arrive at once, at most <see cref="LockoutOptions.MaxFailedAccessAttempts"/>
/// guesses are checked before the user is locked out for <see cref="LockoutOptions.DefaultLockoutTimeSpan"/>.
/// </summary>
/// <remarks>
/// Identity's own counter (read, add one, write the whole user row back) lets parallel requests
/// each see "no failures yet", so it cannot bound parallel guesses; it still counts password failures.
/// </remarks>
public sealed class TotpAttemptGate(PanelDbContext db, TimeProvider time, IOptions<IdentityOptions> identity)
{
    private int Limit => identity.Value.Lockout.MaxFailedAccessAttempts;

    /// <summary>
    /// Charges one attempt; false when the limit is reached (the code must not be checked): the user
    /// is locked out (<see cref="PanelUser.TotpLockedUntil"/> is set, also on <paramref name="user"/>),
    /// or as many attempts as the limit are being checked at this moment.
    /// </summary>
    public async Task<bool> TryChargeAsync(PanelUser user, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // A lockout that has run out starts a new count.
        await db.Users
            .Where(u => u.Id == user.Id && u.TotpLockedUntil != null && u.TotpLockedUntil <= now)
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.TotpLockedUntil, (DateTime?)null)
                .SetProperty(u => u.TotpFailedAttempts, 0), cancellationToken);
        var limit = Limit;
        var charged = await db.Users
            .Where(u => u.Id == user.Id && u.TotpLockedUntil == null && u.TotpFailedAttempts < limit)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.TotpFailedAttempts, u => u.TotpFailedAttempts + 1), cancellationToken);
        if (charged == 0)
        {
            user.TotpLockedUntil = await db.Users.Where(u => u.Id == user.Id).Select(u => u.TotpLockedUntil).SingleOrDefaultAsync(cancellationToken);
        }
        return charged == 1;
    }

    /// <summary>The charged attempt failed: it stays counted. True when it reached the limit and the user is now locked out.</summary>
    public async Task<bool> FailAsync(PanelUser user, CancellationToken cancellationToken = default)
    {
        var limit = Limit;
        var until = time.GetUtcNow().UtcDateTime + identity.Value.Lockout.DefaultLockoutTimeSpan;
        await db.Users
            .Where(u => u.Id == user.Id && u.TotpLockedUntil == null && u.TotpFailedAttempts >= limit)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.TotpLockedUntil, until), cancellationToken);
        var lockedUntil = await db.Users.Where(u => u.Id == user.Id).Select(u => u.TotpLockedUntil).SingleOrDefaultAsync(cancellationToken);
        user.TotpLockedUntil = lockedUntil;
        return lockedUntil is not null;
    }

    /// <summary>The charged attempt was no guess (a right code, already used): it is taken back.</summary>
    public Task ReleaseAsync(PanelUser user, CancellationToken cancellationToken = default) =>
        db.Users
            .Where(u => u.Id == user.Id && u.TotpFailedAttempts > 0)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.TotpFailedAttempts, u => u.TotpFailedAttempts - 1), cancellationToken);

    /// <summary>A right code clears the count of failures.</summary>
    public Task SucceedAsync(PanelUser user, CancellationToken cancellationToken = default) =>
        db.Users
            .Where(u => u.Id == user.Id && u.TotpFailedAttempts > 0)
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

using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Usage;

/// <summary>
/// The stored usage of tokens: <see cref="WriteAsync"/> adds a flushed <see cref="TokenUsageBatch"/>
/// to the counts already there (several instances may flush to one database at the same moment),
/// keeps the newest addresses and prunes what is older than <see cref="RetainedDays"/>;
/// <see cref="ReadAsync"/> reports one token's last <see cref="RetainedDays"/> days.
/// Beside the per-token rows it keeps the same counts summed over every token per day
/// (<see cref="TokenDailyTotals"/>, <see cref="TokenDailyRefusalTotals"/>), in the same transaction,
/// so that the totals are always the sums of the per-token rows of their day. The totals do not
/// follow a token: calls that were made stay counted whatever becomes of the token, as its own
/// rows do (they have no foreign key to it, and tokens are revoked, not deleted); only the
/// retention removes either.
/// With a <see cref="NoticeBoard"/>, it also tells owners when a token is used from an address it
/// had not used for <see cref="NewAddressDays"/> days.
/// </summary>
public sealed class TokenUsageHistory(PanelDbContext db, TimeProvider time, NoticeBoard? notices = null)
{
    /// <summary>An address not seen with a token for this many days is new again.</summary>
    public const int NewAddressDays = 30;

    /// <summary>Days of history kept, today (UTC) included.</summary>
    public const int RetainedDays = 90;

    /// <summary>Client addresses kept per token, the most recently seen.</summary>
    public const int RecentAddressCount = 5;

    /// <summary>Rows pruned per table and flush at most: a backlog is worked off over several flushes, never in one long statement.</summary>
    public const int PruneBatchSize = 1000;

    /// <summary>
    /// Adds the batch in one transaction: either every count is added or none is (the caller puts
    /// the batch back to try again, and nothing is counted twice). A missing row is inserted; if
    /// another instance inserted it first, the unique key refuses ours (EF rolls back to the
    /// savepoint it takes inside a transaction) and the count is added to theirs.
    /// </summary>
    public async Task WriteAsync(TokenUsageBatch batch, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var oldestKept = DateOnly.FromDateTime(now).AddDays(-(RetainedDays - 1));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // One order for every instance, so two flushes lock the same rows in the same order.
        foreach (var count in batch.Requests.Where(c => c.Day >= oldestKept).OrderBy(c => c.TokenId).ThenBy(c => c.Day))
        {
            await UpsertAsync(
                () => db.TokenDailyUsage.Where(u => u.TokenId == count.TokenId && u.Day == count.Day)
                    .ExecuteUpdateAsync(set => set.SetProperty(u => u.Requests, u => u.Requests + count.Count), cancellationToken),
                () => db.TokenDailyUsage.Add(new TokenDailyUsage { TokenId = count.TokenId, Day = count.Day, Requests = count.Count }),
                cancellationToken);
        }
        foreach (var count in batch.Refusals.Where(c => c.Day >= oldestKept).OrderBy(c => c.TokenId).ThenBy(c => c.Day).ThenBy(c => c.Reason))
        {
            await UpsertAsync(
                () => db.TokenDailyRefusals.Where(r => r.TokenId == count.TokenId && r.Day == count.Day && r.Reason == count.Reason)
                    .ExecuteUpdateAsync(set => set.SetProperty(r => r.Count, r => r.Count + count.Count), cancellationToken),
                () => db.TokenDailyRefusals.Add(new TokenDailyRefusals { TokenId = count.TokenId, Day = count.Day, Reason = count.Reason, Count = count.Count }),
                cancellationToken);
        }
        var fresh = new List<(Guid TokenId, string Address, DateTime At)>();
        foreach (var use in batch.Addresses.OrderBy(a => a.TokenId).ThenBy(a => a.Address, StringComparer.Ordinal))
        {
            if (notices is not null)
            {
                // New for a token that was used before (from elsewhere): its very first use is not news.
                var seen = await db.TokenRecentAddresses.Where(a => a.TokenId == use.TokenId && a.Address == use.Address)
                    .Select(a => (DateTime?)a.LastSeenAt).FirstOrDefaultAsync(cancellationToken);
                if ((seen is null && await db.TokenRecentAddresses.AnyAsync(a => a.TokenId == use.TokenId, cancellationToken))
                    || seen < use.At.AddDays(-NewAddressDays))
                {
                    fresh.Add((use.TokenId, use.Address, use.At));
                }
            }
            await UpsertAsync(
                () => db.TokenRecentAddresses.Where(a => a.TokenId == use.TokenId && a.Address == use.Address)
                    .ExecuteUpdateAsync(set => set.SetProperty(a => a.LastSeenAt, a => a.LastSeenAt < use.At ? use.At : a.LastSeenAt), cancellationToken),
                () => db.TokenRecentAddresses.Add(new TokenRecentAddress { TokenId = use.TokenId, Address = use.Address, LastSeenAt = use.At }),
                cancellationToken);
        }
        foreach (var tokenId in batch.Addresses.Select(a => a.TokenId).Distinct().Order())
        {
            await KeepNewestAddressesAsync(tokenId, cancellationToken);
        }
        await PruneAsync(oldestKept, cancellationToken);
        await AddToTotalsAsync(batch, oldestKept, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await TellNewAddressesAsync(fresh, cancellationToken);
    }

    /// <summary>
    /// One notice per token and hour at most (the notice's key names the hour; the unique index
    /// decides between instances); a lost race or a failure here loses a notice, never a count.
    /// </summary>
    private async Task TellNewAddressesAsync(List<(Guid TokenId, string Address, DateTime At)> fresh, CancellationToken cancellationToken)
    {
        foreach (var group in fresh.GroupBy(f => f.TokenId))
        {
            var first = group.OrderBy(f => f.At).First();
            var key = NoticeBoard.NewAddressKey(first.At);
            var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == group.Key, cancellationToken);
            if (token is null || await db.TokenNotices.AnyAsync(n => n.TokenId == token.Id && n.Key == key, cancellationToken))
            {
                continue;
            }
            try
            {
                await notices!.AddForOwnersAsync(token, NoticeKind.NewAddress, key,
                    details: string.Join(", ", group.Select(f => f.Address).Distinct()), cancellationToken: cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance told them this hour.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task UpsertAsync(Func<Task<int>> update, Action add, CancellationToken cancellationToken)
    {
        if (await update() > 0)
        {
            return;
        }
        add();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance inserted the row between our update and insert: add to theirs. If it
            // still is not there, the failure was something else and the whole batch is retried later.
            db.ChangeTracker.Clear();
            if (await update() == 0)
            {
                throw;
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// The batch's counts added to the days' totals, last before the commit: every flush of every
    /// instance updates today's total, so the row is held as briefly as the transaction allows
    /// (and always after the per-token rows, in day order: one lock order for every instance).
    /// </summary>
    private async Task AddToTotalsAsync(TokenUsageBatch batch, DateOnly oldestKept, CancellationToken cancellationToken)
    {
        var requests = batch.Requests.Where(c => c.Day >= oldestKept)
            .GroupBy(c => c.Day).Select(g => (Day: g.Key, Count: g.Sum(c => c.Count))).OrderBy(t => t.Day);
        foreach (var (day, count) in requests)
        {
            await UpsertAsync(
                () => db.TokenDailyTotals.Where(t => t.Day == day)
                    .ExecuteUpdateAsync(set => set.SetProperty(t => t.Requests, t => t.Requests + count), cancellationToken),
                () => db.TokenDailyTotals.Add(new TokenDailyTotals { Day = day, Requests = count }),
                cancellationToken);
        }
        var refusals = batch.Refusals.Where(c => c.Day >= oldestKept)
            .GroupBy(c => (c.Day, c.Reason)).Select(g => (g.Key.Day, g.Key.Reason, Count: g.Sum(c => c.Count))).OrderBy(t => t.Day).ThenBy(t => t.Reason);
        foreach (var (day, reason, count) in refusals)
        {
            await UpsertAsync(
                () => db.TokenDailyRefusalTotals.Where(t => t.Day == day && t.Reason == reason)
                    .ExecuteUpdateAsync(set => set.SetProperty(t => t.Count, t => t.Count + count), cancellationToken),
                () => db.TokenDailyRefusalTotals.Add(new TokenDailyRefusalTotals { Day = day, Reason = reason, Count = count }),
                cancellationToken);
        }
    }

    private async Task KeepNewestAddressesAsync(Guid tokenId, CancellationToken cancellationToken)
    {
        var older = await db.TokenRecentAddresses.Where(a => a.TokenId == tokenId)
            .OrderByDescending(a => a.LastSeenAt).ThenBy(a => a.Address)
            .Skip(RecentAddressCount).Select(a => a.Address)
            .ToListAsync(cancellationToken);
        if (older.Count > 0)
        {
            await db.TokenRecentAddresses.Where(a => a.TokenId == tokenId && older.Contains(a.Address)).ExecuteDeleteAsync(cancellationToken);
        }
    }

    private async Task PruneAsync(DateOnly oldestKeptDay, CancellationToken cancellationToken)
    {
        // Addresses age out with the days: one last seen before the oldest kept day goes with it.
        var oldestKeptInstant = oldestKeptDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await db.TokenDailyUsage.Where(u => u.Day < oldestKeptDay).OrderBy(u => u.Day).Take(PruneBatchSize).ExecuteDeleteAsync(cancellationToken);
        await db.TokenDailyRefusals.Where(r => r.Day < oldestKeptDay).OrderBy(r => r.Day).Take(PruneBatchSize).ExecuteDeleteAsync(cancellationToken);
        await db.TokenRecentAddresses.Where(a => a.LastSeenAt < oldestKeptInstant).OrderBy(a => a.LastSeenAt).Take(PruneBatchSize).ExecuteDeleteAsync(cancellationToken);
        // A row per day (and reason) at most: never a backlog worth batching.
        await db.TokenDailyTotals.Where(t => t.Day < oldestKeptDay).ExecuteDeleteAsync(cancellationToken);
        await db.TokenDailyRefusalTotals.Where(t => t.Day < oldestKeptDay).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The token's last <see cref="RetainedDays"/> UTC days (today included), as flushed so far.</summary>
    public async Task<TokenUsageReport> ReadAsync(Guid tokenId, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = today.AddDays(-(RetainedDays - 1));
        var counted = await db.TokenDailyUsage.AsNoTracking()
            .Where(u => u.TokenId == tokenId && u.Day >= from && u.Day <= today)
            .ToDictionaryAsync(u => u.Day, u => u.Requests, cancellationToken);
        var days = Enumerable.Range(0, RetainedDays)
            .Select(i => from.AddDays(i))
            .Select(day => new DailyRequests(day, counted.GetValueOrDefault(day)))
            .ToList();
        var refusals = (await db.TokenDailyRefusals.AsNoTracking()
                .Where(r => r.TokenId == tokenId && r.Day >= from && r.Day <= today)
                .Select(r => new { r.Reason, r.Count })
                .ToListAsync(cancellationToken))
            .GroupBy(r => r.Reason)
            .Select(g => new RefusalTotal(g.Key, g.Sum(r => r.Count)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason)
            .ToList();
        var addresses = await db.TokenRecentAddresses.AsNoTracking()
            .Where(a => a.TokenId == tokenId)
            .OrderByDescending(a => a.LastSeenAt).ThenBy(a => a.Address)
            .Take(RecentAddressCount)
            .Select(a => new RecentAddress(a.Address, a.LastSeenAt))
            .ToListAsync(cancellationToken);
        return new TokenUsageReport(days, addresses, refusals);
    }
}

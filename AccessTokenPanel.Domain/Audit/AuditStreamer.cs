using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Domain.Audit;

/// <summary>
/// Delivers the audit log to every configured sink, at least once and in id order per sink. The
/// log is the outbox (entries are saved with their change); a sink's cursor
/// (<see cref="AuditSinkCursor"/>) says how far it got, and moves only past what the sink took. A
/// sink that fails is retried from the same entry with a doubling delay: it falls behind, it
/// never loses or reorders. An instance claims a sink with a lease, so one instance at a time sends
/// to it; one that dies mid-send leaves the lease to run out and the batch to be sent again.
/// </summary>
public sealed class AuditStreamer(
    PanelDbContext db,
    IEnumerable<IAuditSink> sinks,
    IOptions<AuditStreamOptions> options,
    TimeProvider time,
    ILogger<AuditStreamer> logger)
{
    // Batches per sink and run, so one busy sink does not hold the others' turn for long.
    private const int MaxBatchesPerRun = 20;

    /// <summary>Sends what each due sink has not received; returns how many entries were delivered.</summary>
    public async Task<int> StreamDueAsync(CancellationToken cancellationToken = default)
    {
        var delivered = 0;
        foreach (var sink in sinks)
        {
            delivered += await StreamAsync(sink, cancellationToken);
        }
        return delivered;
    }

    private async Task<int> StreamAsync(IAuditSink sink, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        await EnsureCursorAsync(sink.Name, now, cancellationToken);

        // Whole milliseconds: the lease is also the claim's token, compared for equality, and every
        // provider stores milliseconds exactly.
        var lease = Truncate(now + settings.Lease);
        var claimed = await db.AuditSinkCursors
            .Where(c => c.Sink == sink.Name && c.NextAttemptAt <= now && (c.LeaseUntil == null || c.LeaseUntil <= now))
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.LeaseUntil, lease), cancellationToken);
        if (claimed != 1)
        {
            return 0;
        }
        var cursor = await db.AuditSinkCursors.AsNoTracking().SingleAsync(c => c.Sink == sink.Name, cancellationToken);
        var through = cursor.DeliveredThroughId;
        var delivered = 0;
        string? error = null;
        try
        {
            for (var batchNumber = 0; batchNumber < MaxBatchesPerRun && time.GetUtcNow().UtcDateTime < lease - settings.Lease / 4; batchNumber++)
            {
                var batch = await NextBatchAsync(through, settings, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }
                AuditSinkResult result;
                try
                {
                    result = await sink.SendAsync(batch, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    result = AuditSinkResult.Failure(0, ex.Message);
                }
                var taken = Math.Clamp(result.Delivered, 0, batch.Count);
                if (taken > 0)
                {
                    through = batch[taken - 1].Entry.Id;
                    delivered += taken;
                    var at = time.GetUtcNow().UtcDateTime;
                    // Only while this instance still holds the lease: otherwise another one took over.
                    await db.AuditSinkCursors.Where(c => c.Sink == sink.Name && c.LeaseUntil == lease).ExecuteUpdateAsync(set => set
                        .SetProperty(c => c.DeliveredThroughId, through)
                        .SetProperty(c => c.LastDeliveredAt, at)
                        .SetProperty(c => c.FailedAttempts, 0)
                        .SetProperty(c => c.LastError, (string?)null), CancellationToken.None);
                    PanelMetrics.AuditEntriesStreamed(sink.Name, taken);
                }
                if (result.Error is not null || taken < batch.Count)
                {
                    error = result.Error ?? "The sink took only part of the batch.";
                    break;
                }
                if (batch.Count < settings.BatchSize)
                {
                    break;
                }
            }
        }
        finally
        {
            var at = time.GetUtcNow().UtcDateTime;
            var failures = error is null ? 0 : (delivered > 0 ? 0 : cursor.FailedAttempts) + 1;
            var shortError = error is { Length: > AuditSinkCursor.LastErrorMaxLength } e ? e[..AuditSinkCursor.LastErrorMaxLength] : error;
            await db.AuditSinkCursors.Where(c => c.Sink == sink.Name && c.LeaseUntil == lease).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.LeaseUntil, (DateTime?)null)
                .SetProperty(c => c.LastAttemptAt, at)
                .SetProperty(c => c.FailedAttempts, failures)
                .SetProperty(c => c.NextAttemptAt, error is null ? at : at + settings.RetryDelayAfter(failures))
                .SetProperty(c => c.LastError, c => error == null ? c.LastError : shortError), CancellationToken.None);
            if (error is not null)
            {
                PanelMetrics.AuditStreamFailed(sink.Name);
                logger.LogWarning("Audit sink {Sink} failed after entry {DeliveredThroughId} (failure {Failures}), retrying in {Delay}: {Error}",
                    sink.Name, through, failures, settings.RetryDelayAfter(failures), shortError);
            }
        }
        return delivered;
    }

    // The next entries after the cursor, oldest first, stopping at a gap in the ids that may still fill.
    private async Task<List<AuditRow>> NextBatchAsync(long through, AuditStreamOptions settings, CancellationToken cancellationToken)
    {
        var rows = await (
                from e in db.AuditEntries.AsNoTracking()
                where e.Id > through
                join u in db.Users.AsNoTracking() on e.ActorId equals u.Id into actors
                from u in actors.DefaultIfEmpty()
                orderby e.Id
                select new AuditRow(e, u == null ? null : u.Email))
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);
        var settled = time.GetUtcNow().UtcDateTime - settings.GapWait;
        var expected = through + 1;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Entry.Id != expected && through > 0 && rows[i].Entry.OccurredAt > settled)
            {
                return rows[..i];
            }
            expected = rows[i].Entry.Id + 1;
        }
        return rows;
    }

    private async Task EnsureCursorAsync(string sink, DateTime now, CancellationToken cancellationToken)
    {
        if (await db.AuditSinkCursors.AnyAsync(c => c.Sink == sink, cancellationToken))
        {
            return;
        }
        // A new sink receives the whole log, from its first entry.
        db.AuditSinkCursors.Add(new AuditSinkCursor { Sink = sink, NextAttemptAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance added it at the same moment.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static DateTime Truncate(DateTime value) => new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}

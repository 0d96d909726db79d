using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Audit;

/// <summary>One sink's state for the Settings page: how far behind it is and why.</summary>
public sealed record AuditSinkLine(
    string Sink, string Description, long Backlog, DateTime? LastDeliveredAt, DateTime? LastAttemptAt, DateTime? NextAttemptAt,
    int FailedAttempts, string? LastError);

/// <summary>Reads each configured sink's backlog and last error, so a syslog server that stopped listening is seen.</summary>
public sealed class AuditSinkStatus(PanelDbContext db, IEnumerable<IAuditSink> sinks)
{
    public async Task<List<AuditSinkLine>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var cursors = await db.AuditSinkCursors.AsNoTracking().ToDictionaryAsync(c => c.Sink, cancellationToken);
        var lines = new List<AuditSinkLine>();
        foreach (var sink in sinks)
        {
            var cursor = cursors.GetValueOrDefault(sink.Name);
            var through = cursor?.DeliveredThroughId ?? 0;
            // An index range on the primary key.
            var backlog = await db.AuditEntries.LongCountAsync(e => e.Id > through, cancellationToken);
            lines.Add(new AuditSinkLine(sink.Name, sink.Describe(), backlog, cursor?.LastDeliveredAt, cursor?.LastAttemptAt,
                cursor?.NextAttemptAt, cursor?.FailedAttempts ?? 0, cursor?.LastError));
        }
        return lines;
    }
}

namespace AccessTokenPanel.Domain.Audit;

/// <summary>
/// How far one audit sink (a syslog server, a webhook) has received the audit log. The log itself
/// is the outbox: every entry is saved with the change it describes, and each sink walks the log
/// in <see cref="AuditEntry.Id"/> order from its cursor, so a sink that is down only falls behind,
/// and nothing is skipped or reordered. An instance claims the sink with a lease before sending, so
/// with several instances one at a time sends to a sink.
/// </summary>
public class AuditSinkCursor
{
    /// <summary>The sink's name in <c>Audit:Sinks</c>.</summary>
    public required string Sink { get; set; }

    /// <summary>Every entry with an id up to this one was delivered.</summary>
    public long DeliveredThroughId { get; set; }

    /// <summary>Failed attempts since the last delivery: the next retry waits longer each time.</summary>
    public int FailedAttempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    /// <summary>An instance that claimed the sink holds it until then; after, another may take over.</summary>
    public DateTime? LeaseUntil { get; set; }

    public DateTime? LastAttemptAt { get; set; }
    public DateTime? LastDeliveredAt { get; set; }

    /// <summary>Why the last attempt failed (a connection error, an HTTP status); never a secret. Cleared on delivery.</summary>
    public string? LastError { get; set; }

    public const int SinkMaxLength = 64;
    public const int LastErrorMaxLength = 500;
}

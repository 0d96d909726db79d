namespace AccessTokenPanel.Domain.Audit;

/// <summary>A place audit entries are streamed to (syslog, a webhook); the host registers the ones configured.</summary>
public interface IAuditSink
{
    /// <summary>The name in <c>Audit:Sinks</c>; the key of the sink's cursor.</summary>
    string Name { get; }

    /// <summary>What kind of sink and where, for the Settings page (no secret).</summary>
    string Describe();

    /// <summary>
    /// Sends entries, oldest first, in this order. Expected failures (refused, unreachable) are
    /// results: the streamer retries from the first entry not delivered.
    /// </summary>
    Task<AuditSinkResult> SendAsync(IReadOnlyList<AuditRow> entries, CancellationToken cancellationToken);
}

/// <param name="Delivered">How many of the entries, from the first, were delivered.</param>
/// <param name="Error">Why the rest were not; null when all were.</param>
public readonly record struct AuditSinkResult(int Delivered, string? Error)
{
    public static AuditSinkResult All(int count) => new(count, null);
    public static AuditSinkResult Failure(int delivered, string error) => new(delivered, error);
}

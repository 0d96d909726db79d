using System.ComponentModel.DataAnnotations;

namespace AccessTokenPanel.Domain.Audit;

/// <summary>The <c>Audit:Streaming</c> section: how often, how much, and how retries back off.</summary>
public sealed class AuditStreamOptions : IValidatableObject
{
    public const string Section = "Audit:Streaming";

    /// <summary>How often each instance sends what the sinks have not received yet.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Entries per send (one syslog connection, one webhook request).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>The wait after the first failure; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an instance holds a sink while it sends; after, another instance may take over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A gap in the entries' ids that is younger than this is waited for: on PostgreSQL and SQL
    /// Server an id is handed out before its transaction commits, so a younger entry can be visible
    /// before an older one. Older gaps are ids that will never come (rolled back, identity jumps).
    /// </summary>
    public TimeSpan GapWait { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryDelayAfter(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks * (1L << Math.Clamp(failures - 1, 0, 30))));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Interval <= TimeSpan.Zero || FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay || Lease <= TimeSpan.Zero || GapWait < TimeSpan.Zero)
        {
            yield return new ValidationResult(
                "Audit:Streaming: Interval, FirstRetryDelay and Lease must be positive times such as \"00:00:05\", MaxRetryDelay at least FirstRetryDelay, GapWait not negative.");
        }
        if (BatchSize is < 1 or > 1000)
        {
            yield return new ValidationResult("Audit:Streaming:BatchSize is between 1 and 1000.", [nameof(BatchSize)]);
        }
    }
}

namespace AccessTokenPanel.Domain.Audit;

/// <summary>One thing that happened: who did what to which subject, and when (UTC).</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime OccurredAt { get; set; }

    /// <summary>The acting user's id; null for the system (first-run setup, SCIM without a user).</summary>
    public string? ActorId { get; set; }

    /// <summary>A dotted code such as <c>token.created</c>; see <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    public required string SubjectType { get; set; }
    public string? SubjectId { get; set; }

    /// <summary>Human-readable detail. Never a secret.</summary>
    public string Details { get; set; } = "";
}

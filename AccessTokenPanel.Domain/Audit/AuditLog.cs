using AccessTokenPanel.Domain.Data;

namespace AccessTokenPanel.Domain.Audit;

/// <summary>
/// Adds audit entries to the caller's unit of work, so the entry is saved with the change it
/// describes or not at all.
/// </summary>
public sealed class AuditLog(PanelDbContext db, TimeProvider time)
{
    public AuditEntry Record(string? actorId, string action, string subjectType, string? subjectId, string details = "")
    {
        var entry = new AuditEntry
        {
            OccurredAt = time.GetUtcNow().UtcDateTime,
            ActorId = actorId,
            Action = action,
            SubjectType = subjectType,
            SubjectId = subjectId,
            Details = details,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }
}

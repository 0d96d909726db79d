using System.Text.Json;
using AccessTokenPanel.Domain.Audit;

namespace AccessTokenPanel.Web.Audit;

/// <summary>One audit entry as JSON: the shape of an export line and of an audit webhook's entries.</summary>
public static class AuditJson
{
    public static void Write(Utf8JsonWriter json, AuditEntry entry, string? actorEmail)
    {
        json.WriteStartObject();
        json.WriteNumber("id", entry.Id);
        json.WriteString("occurredAt", DateTime.SpecifyKind(entry.OccurredAt, DateTimeKind.Utc));
        json.WriteString("actorId", entry.ActorId);
        json.WriteString("actorEmail", actorEmail);
        json.WriteString("action", entry.Action);
        json.WriteString("subjectType", entry.SubjectType);
        json.WriteString("subjectId", entry.SubjectId);
        json.WriteString("details", entry.Details);
        json.WriteEndObject();
    }
}

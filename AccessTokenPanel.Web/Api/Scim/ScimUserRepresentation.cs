using System.Globalization;
using System.Text.Json.Nodes;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Api.Scim;

internal static class ScimUserRepresentation
{
    public static async Task<JsonObject> BuildOneAsync(PanelDbContext db, PanelUser user, string baseUrl, CancellationToken cancellationToken) =>
        (await BuildAsync(db, [user], baseUrl, cancellationToken))[0];

    public static async Task<List<JsonObject>> BuildAsync(PanelDbContext db, IReadOnlyList<PanelUser> users, string baseUrl, CancellationToken cancellationToken)
    {
        var ids = users.Select(u => u.Id).ToList();
        var groups = await (
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            where ids.Contains(userRole.UserId)
            select new { userRole.UserId, role.Id, role.Name }).ToListAsync(cancellationToken);
        // The panel keeps no modification time on users; their latest audit entry is it.
        var modified = await db.AuditEntries
            .Where(e => e.SubjectType == "user" && e.SubjectId != null && ids.Contains(e.SubjectId))
            .GroupBy(e => e.SubjectId!)
            .Select(g => new { UserId = g.Key, At = g.Max(e => e.OccurredAt) })
            .ToDictionaryAsync(x => x.UserId, x => x.At, cancellationToken);

        return users.Select(user =>
        {
            var location = $"{baseUrl}/Users/{user.Id}";
            var lastModified = modified.TryGetValue(user.Id, out var at) && at > user.CreatedAt ? at : user.CreatedAt;
            var resource = new JsonObject
            {
                ["schemas"] = new JsonArray(ScimSchemas.User),
                ["id"] = user.Id,
                ["userName"] = user.UserName,
                ["name"] = Name(user),
                ["displayName"] = user.DisplayName,
                ["emails"] = new JsonArray(new JsonObject { ["value"] = user.Email, ["type"] = "work", ["primary"] = true }),
                ["active"] = !user.IsDisabled,
                ["groups"] = new JsonArray(groups.Where(g => g.UserId == user.Id).OrderBy(g => g.Name).Select(g => (JsonNode)new JsonObject
                {
                    ["value"] = g.Id,
                    ["display"] = g.Name,
                    ["$ref"] = $"{baseUrl}/Groups/{g.Id}",
                    ["type"] = "direct",
                }).ToArray()),
                ["meta"] = new JsonObject
                {
                    ["resourceType"] = "User",
                    ["created"] = Instant(user.CreatedAt),
                    ["lastModified"] = Instant(lastModified),
                    ["location"] = location,
                    ["version"] = $"W/\"{user.ConcurrencyStamp}\"",
                },
            };
            if (user.ExternalId is not null)
            {
                resource.Insert(2, "externalId", user.ExternalId);
            }
            return resource;
        }).ToList();
    }

    /// <summary>The stored name parts; formatted falls back to the parts joined, then to the display name.</summary>
    private static JsonObject Name(PanelUser user)
    {
        var joined = $"{user.GivenName} {user.FamilyName}".Trim();
        var name = new JsonObject { ["formatted"] = user.FormattedName ?? (joined.Length > 0 ? joined : user.DisplayName) };
        if (user.GivenName is not null)
        {
            name["givenName"] = user.GivenName;
        }
        if (user.FamilyName is not null)
        {
            name["familyName"] = user.FamilyName;
        }
        return name;
    }

    public static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

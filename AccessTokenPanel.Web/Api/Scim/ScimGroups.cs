using AccessTokenPanel.Domain.Authorization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Api.Scim;

/// <summary>
/// SCIM Groups are the four panel roles. Their members can be changed (PATCH, PUT), only by a token
/// whose owner holds every permission of the role; the groups themselves cannot be created or deleted.
/// </summary>
internal static partial class ScimGroups
{
    private static readonly ScimFilterTranslator<IdentityRole> Filters = new(
    [
        ScimFilterTranslator<IdentityRole>.Attribute("id", r => r.Id),
        ScimFilterTranslator<IdentityRole>.Attribute("displayName", r => r.NormalizedName, normalized: true),
        ScimFilterTranslator<IdentityRole>.Attribute("externalId", r => (string?)null),
    ]);

    public static void MapScimGroups(this RouteGroupBuilder scim)
    {
        var groups = scim.MapGroup("/Groups");
        groups.MapGet("/", ListAsync).Performs(Operations.ReadUsers);
        groups.MapGet("/{id}", GetAsync).Performs(Operations.ReadUsers);
        groups.MapPatch("/{id}", PatchAsync).Performs(Operations.SetUserRole);
        groups.MapPut("/{id}", ReplaceAsync).Performs(Operations.SetUserRole);
        groups.MapPost("/", () => Fixed()).PerformsNoOperation("Groups are the fixed panel roles: creating one is always refused.");
        groups.MapDelete("/{id}", (string id) => Fixed()).PerformsNoOperation("Groups are the fixed panel roles: deleting one is always refused.");
    }

    private static ScimResult Fixed() => ScimResult.Error(StatusCodes.Status403Forbidden, null,
        "The groups are the panel's fixed roles: they cannot be created or deleted, only their members changed.");

    private static async Task<ScimResult> ListAsync(HttpRequest request, PanelDbContext db, CancellationToken cancellationToken)
    {
        if (await ScimResult.RefuseAsync(request, Operations.ReadUsers) is { } refused)
        {
            return refused;
        }
        var (filter, error) = ScimFilter.Parse(request.Query["filter"]);
        if (error is not null)
        {
            return error;
        }
        Func<IdentityRole, bool> matches = _ => true;
        if (filter is not null)
        {
            var (predicate, invalid) = Filters.Translate(filter);
            if (predicate is null)
            {
                return invalid!;
            }
            matches = predicate.Compile();
        }
        // Four fixed roles: filtered in memory with the same translation as Users.
        var roles = await db.Roles.AsNoTracking().ToListAsync(cancellationToken);
        var matching = roles
            .Where(r => PanelRoles.Find(r.Name) is not null)
            .Where(matches)
            .OrderBy(r => PanelRoles.All.ToList().FindIndex(p => p.Name == r.Name))
            .ToList();
        var (startIndex, count) = ScimRequest.Paging(request);
        var page = matching.Skip(startIndex - 1).Take(count).ToList();
        var selection = ScimAttributeSelection.From(request);
        var resources = new List<JsonNode>();
        foreach (var role in page)
        {
            resources.Add(selection.Apply(await BuildAsync(db, role, ScimRequest.BaseUrl(request), selection.Returns("members"), cancellationToken)));
        }
        return ScimResult.Ok(ScimRequest.ListResponse(matching.Count, startIndex, resources));
    }

    private static async Task<ScimResult> GetAsync(string id, HttpRequest request, PanelDbContext db, CancellationToken cancellationToken)
    {
        if (await ScimResult.RefuseAsync(request, Operations.ReadUsers) is { } refused)
        {
            return refused;
        }
        var role = await FindAsync(db, id, cancellationToken);
        if (role is null)
        {
            return ScimResult.NotFound("Group", id);
        }
        var selection = ScimAttributeSelection.From(request);
        return ScimResult.Ok(selection.Apply(await BuildAsync(db, role, ScimRequest.BaseUrl(request), selection.Returns("members"), cancellationToken)));
    }

    private static async Task<ScimResult> PatchAsync(
        string id, HttpRequest request, ClaimsPrincipal caller, UserManager<PanelUser> users, UserAccounts accounts, PanelDbContext db,
        CancellationToken cancellationToken)
    {
        var (body, error) = await ScimRequest.ReadAsync(request);
        if (body is null)
        {
            return error!;
        }
        if (ScimValues.Get(body, "Operations") is not JsonArray operations)
        {
            return ScimResult.BadRequest("invalidSyntax", "A PATCH body needs an Operations array (urn:ietf:params:scim:api:messages:2.0:PatchOp).");
        }
        var role = await FindAsync(db, id, cancellationToken);
        if (role is null)
        {
            return ScimResult.NotFound("Group", id);
        }
        if (Guard(role, caller) is { } refused)
        {
            return refused;
        }

        // Every operation is read before anything changes, so a bad one leaves the group as it was.
        var steps = new List<MemberStep>();
        foreach (var node in operations)
        {
            if (node is not JsonObject operation)
            {
                return ScimResult.BadRequest("invalidSyntax", "Each operation must be an object with op, path and value.");
            }
            var op = ScimValues.String(ScimValues.Get(operation, "op"))?.ToLowerInvariant();
            var path = ScimValues.String(ScimValues.Get(operation, "path"));
            var value = ScimValues.Get(operation, "value");
            if (path is null && value is JsonObject attributes)
            {
                // {"op":"replace","value":{"displayName":..., "members":[...]}}
                if (ScimValues.String(ScimValues.Get(attributes, "displayName")) is { } name && name != role.Name)
                {
                    return ScimResult.BadRequest("mutability", "A group's displayName is its role's name and cannot change.");
                }
                path = ScimValues.Has(attributes, "members") ? "members" : null;
                value = ScimValues.Get(attributes, "members");
                if (path is null)
                {
                    continue;
                }
            }
            path = path is null ? null : ScimRequest.AttributePath(path);
            if (string.Equals(path, "displayName", StringComparison.OrdinalIgnoreCase) && op is "add" or "replace")
            {
                // Setting the name it already has is no change (as PUT treats it); any other name is.
                if (ScimValues.String(value) != role.Name)
                {
                    return ScimResult.BadRequest("mutability", "A group's displayName is its role's name and cannot change.");
                }
                continue;
            }

            List<string> ids;
            MemberStepKind kind;
            switch (op)
            {
                case "add" when IsMembers(path):
                    (ids, error) = MemberIds(value);
                    kind = MemberStepKind.Add;
                    break;
                case "remove" when IsMembers(path):
                    // Without a value, remove every member (RFC 7644 3.5.2.2).
                    (ids, error) = value is null ? ([], null) : MemberIds(value);
                    kind = value is null ? MemberStepKind.RemoveAll : MemberStepKind.Remove;
                    break;
                case "remove" when path is not null && MemberFilterPath().Match(path) is { Success: true } match:
                    (ids, error) = ([match.Groups["id"].Value], null);
                    kind = MemberStepKind.Remove;
                    break;
                case "replace" when IsMembers(path):
                    (ids, error) = MemberIds(value);
                    kind = MemberStepKind.Replace;
                    break;
                case "add" or "replace" or "remove":
                    return ScimResult.BadRequest("invalidPath", $"Only members can change on a group, not '{path}'.");
                default:
                    return ScimResult.BadRequest("invalidSyntax", $"The operation '{op}' is not add, replace or remove.");
            }
            if (error is not null)
            {
                return error;
            }
            steps.Add(new MemberStep(kind, ids));
        }
        if (await ApplyAsync(users, accounts, caller, db, role, steps, cancellationToken) is { } failed)
        {
            return failed;
        }
        // 204, as Entra's group PATCH expects (RFC 7644 3.5.2 allows 200 or 204).
        return ScimResult.NoContent();
    }

    private static async Task<ScimResult> ReplaceAsync(
        string id, HttpRequest request, ClaimsPrincipal caller, UserManager<PanelUser> users, UserAccounts accounts, PanelDbContext db,
        CancellationToken cancellationToken)
    {
        var (body, error) = await ScimRequest.ReadAsync(request);
        if (body is null)
        {
            return error!;
        }
        var role = await FindAsync(db, id, cancellationToken);
        if (role is null)
        {
            return ScimResult.NotFound("Group", id);
        }
        if (ScimValues.String(ScimValues.Get(body, "displayName")) is { } name && name != role.Name)
        {
            return ScimResult.BadRequest("mutability", "A group's displayName is its role's name and cannot change.");
        }
        if (Guard(role, caller) is { } refused)
        {
            return refused;
        }
        var (ids, idError) = MemberIds(ScimValues.Get(body, "members") ?? new JsonArray());
        if (idError is not null)
        {
            return idError;
        }
        if (await ApplyAsync(users, accounts, caller, db, role, [new MemberStep(MemberStepKind.Replace, ids)], cancellationToken) is { } failed)
        {
            return failed;
        }
        return ScimResult.Ok(await BuildAsync(db, role, ScimRequest.BaseUrl(request), true, cancellationToken));
    }

    /// <summary>Only someone who holds a role's every permission may change who else holds it.</summary>
    private static ScimResult? Guard(IdentityRole role, ClaimsPrincipal caller) =>
        PanelRoles.Find(role.Name) is { } panelRole && PanelRoles.CanDelegate(caller.TokenPermissions(), panelRole)
            ? null
            : ScimResult.Error(StatusCodes.Status403Forbidden, null,
                $"The token's owner does not hold every permission of {role.Name}, so cannot change its members.");

    private enum MemberStepKind { Add, Remove, RemoveAll, Replace }

    /// <summary>One PATCH operation on members (or a PUT's whole list, as Replace), read but not yet applied.</summary>
    private sealed record MemberStep(MemberStepKind Kind, List<string> Ids);

    /// <summary>
    /// Applies the steps in order in one transaction: the identity provider is told the group changed
    /// only if every member change was allowed (the rank rule is checked for each user), and on the
    /// first refusal every change before it is undone. Each step sees the members the ones before left.
    /// </summary>
    private static async Task<ScimResult?> ApplyAsync(
        UserManager<PanelUser> users, UserAccounts accounts, ClaimsPrincipal caller, PanelDbContext db, IdentityRole role,
        IReadOnlyList<MemberStep> steps, CancellationToken cancellationToken)
    {
        if (steps.Count == 0)
        {
            return null;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var step in steps)
        {
            var changes = step.Kind switch
            {
                MemberStepKind.Add => step.Ids.Select(id => (id, true)).ToList(),
                MemberStepKind.Remove => step.Ids.Select(id => (id, false)).ToList(),
                MemberStepKind.RemoveAll => (await MemberIdsAsync(db, role.Id, cancellationToken)).Select(id => (id, false)).ToList(),
                _ => await ReplacingAsync(db, role, step.Ids, cancellationToken),
            };
            foreach (var (userId, member) in changes)
            {
                if (await SetMemberAsync(users, accounts, caller, role, userId, member) is { } failed)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    return failed;
                }
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <summary>Removals first, then additions: the members become exactly <paramref name="ids"/>.</summary>
    private static async Task<List<(string, bool)>> ReplacingAsync(PanelDbContext db, IdentityRole role, List<string> ids, CancellationToken cancellationToken)
    {
        var current = await MemberIdsAsync(db, role.Id, cancellationToken);
        return [.. current.Except(ids).Select(id => (id, false)), .. ids.Except(current).Select(id => (id, true))];
    }

    private static async Task<ScimResult?> SetMemberAsync(
        UserManager<PanelUser> users, UserAccounts accounts, ClaimsPrincipal caller, IdentityRole role, string userId, bool member)
    {
        var result = await accounts.SetRoleAsync(caller.UserActor("SCIM"), userId, role.Name!, member);
        return result.Succeeded ? null
            : result.Error == UserAccountError.NotFound ? ScimResult.BadRequest("invalidValue", $"There is no user {userId}.")
            : ScimUsers.AccountError(result, userId);
    }

    private static bool IsMembers(string? path) => string.Equals(path, "members", StringComparison.OrdinalIgnoreCase);

    private static (List<string> Ids, ScimResult? Error) MemberIds(JsonNode? value)
    {
        var items = value switch
        {
            JsonArray array => array.ToList(),
            JsonObject single => [single],
            _ => null,
        };
        if (items is null)
        {
            return ([], ScimResult.BadRequest("invalidValue", "members must be an array of {\"value\": \"<user id>\"}."));
        }
        var ids = new List<string>();
        foreach (var item in items)
        {
            if (item is not JsonObject memberObject || ScimValues.String(ScimValues.Get(memberObject, "value")) is not { Length: > 0 } userId)
            {
                return ([], ScimResult.BadRequest("invalidValue", "Each member needs a value: the user's id."));
            }
            ids.Add(userId);
        }
        return (ids, null);
    }

    private static Task<List<string>> MemberIdsAsync(PanelDbContext db, string roleId, CancellationToken cancellationToken) =>
        db.UserRoles.Where(ur => ur.RoleId == roleId).Select(ur => ur.UserId).ToListAsync(cancellationToken);

    private static async Task<IdentityRole?> FindAsync(PanelDbContext db, string id, CancellationToken cancellationToken)
    {
        var role = await db.Roles.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return role is not null && PanelRoles.Find(role.Name) is not null ? role : null;
    }

    private static async Task<JsonObject> BuildAsync(PanelDbContext db, IdentityRole role, string baseUrl, bool withMembers, CancellationToken cancellationToken)
    {
        var resource = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.Group),
            ["id"] = role.Id,
            ["displayName"] = role.Name,
        };
        if (withMembers)
        {
            var members = await (
                from userRole in db.UserRoles
                join user in db.Users on userRole.UserId equals user.Id
                where userRole.RoleId == role.Id && !user.IsServiceAccount
                orderby user.Email
                select new { user.Id, user.Email }).ToListAsync(cancellationToken);
            resource["members"] = new JsonArray(members.Select(m => (JsonNode)new JsonObject
            {
                ["value"] = m.Id,
                ["display"] = m.Email,
                ["$ref"] = $"{baseUrl}/Users/{m.Id}",
                ["type"] = "User",
            }).ToArray());
        }
        resource["meta"] = new JsonObject
        {
            ["resourceType"] = "Group",
            ["location"] = $"{baseUrl}/Groups/{role.Id}",
        };
        return resource;
    }

    [GeneratedRegex("""^members\[\s*value\s+eq\s+"(?<id>[^"]+)"\s*\]$""", RegexOptions.IgnoreCase)]
    private static partial Regex MemberFilterPath();
}

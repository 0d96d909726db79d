using AccessTokenPanel.Domain.Authorization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Api.Scim;

/// <summary>
/// SCIM Users (RFC 7643 4.1) over panel users: userName is the email, active is the opposite of
/// disabled. DELETE deletes for SCIM (404 afterwards, tokens revoked); the panel keeps the disabled
/// account for its audit trail and token history. Every change goes through the Domain's UserAccounts,
/// with the token's permissions: nobody provisions over a user who outranks the token.
/// </summary>
internal static partial class ScimUsers
{
    private const string Api = "SCIM";

    /// <summary>What a Users filter can name; emails has one value (the account's email, type work, primary).</summary>
    private static ScimFilterTranslator<PanelUser> Filters(PanelDbContext db) => new(
    [
        ScimFilterTranslator<PanelUser>.Attribute("id", u => u.Id),
        ScimFilterTranslator<PanelUser>.Attribute("userName", u => u.NormalizedUserName, normalized: true),
        ScimFilterTranslator<PanelUser>.Attribute("externalId", u => u.ExternalId),
        ScimFilterTranslator<PanelUser>.Attribute("displayName", u => u.DisplayName),
        ScimFilterTranslator<PanelUser>.Attribute("name.formatted", u => u.FormattedName),
        ScimFilterTranslator<PanelUser>.Attribute("name.givenName", u => u.GivenName),
        ScimFilterTranslator<PanelUser>.Attribute("name.familyName", u => u.FamilyName),
        ScimFilterTranslator<PanelUser>.Attribute("active", u => !u.IsDisabled),
        ScimFilterTranslator<PanelUser>.Attribute("emails", u => u.NormalizedEmail, normalized: true),
        ScimFilterTranslator<PanelUser>.Attribute("emails.value", u => u.NormalizedEmail, normalized: true),
        ScimFilterTranslator<PanelUser>.Attribute("emails.type", u => "work"),
        ScimFilterTranslator<PanelUser>.Attribute("emails.primary", u => true),
        ScimFilterTranslator<PanelUser>.Attribute("meta.created", u => u.CreatedAt),
        // The same instant the representation reports: the user's latest audit entry, else its creation.
        ScimFilterTranslator<PanelUser>.Attribute("meta.lastModified", u =>
            db.AuditEntries.Where(e => e.SubjectType == "user" && e.SubjectId == u.Id).Max(e => (DateTime?)e.OccurredAt) ?? u.CreatedAt),
    ]);

    public static void MapScimUsers(this RouteGroupBuilder scim)
    {
        var users = scim.MapGroup("/Users");
        users.MapGet("/", ListAsync).Performs(Operations.ReadUsers);
        users.MapGet("/{id}", GetAsync).Performs(Operations.ReadUsers);
        users.MapPost("/", CreateAsync).Performs(Operations.CreateUser);
        users.MapPut("/{id}", ReplaceAsync).Performs(Operations.UpdateUser);
        users.MapPatch("/{id}", PatchAsync).Performs(Operations.UpdateUser);
        users.MapDelete("/{id}", DeleteAsync).Performs(Operations.DeleteUser);
    }

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
        IQueryable<PanelUser> query = db.Users.AsNoTracking().Where(u => u.DeletedAt == null && !u.IsServiceAccount);
        if (filter is not null)
        {
            var (predicate, invalid) = Filters(db).Translate(filter);
            if (predicate is null)
            {
                return invalid!;
            }
            query = query.Where(predicate);
        }
        var (startIndex, count) = ScimRequest.Paging(request);
        var total = await query.CountAsync(cancellationToken);
        var page = count == 0 ? [] : await query.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id)
            .Skip(startIndex - 1).Take(count).ToListAsync(cancellationToken);
        var selection = ScimAttributeSelection.From(request);
        var resources = await ScimUserRepresentation.BuildAsync(db, page, ScimRequest.BaseUrl(request), cancellationToken);
        return ScimResult.Ok(ScimRequest.ListResponse(total, startIndex, resources.Select(selection.Apply)));
    }

    private static async Task<ScimResult> GetAsync(string id, HttpRequest request, PanelDbContext db, CancellationToken cancellationToken)
    {
        if (await ScimResult.RefuseAsync(request, Operations.ReadUsers) is { } refused)
        {
            return refused;
        }
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id && u.DeletedAt == null && !u.IsServiceAccount, cancellationToken);
        return user is null
            ? ScimResult.NotFound("User", id)
            : ScimResult.Ok(ScimAttributeSelection.From(request).Apply(
                await ScimUserRepresentation.BuildOneAsync(db, user, ScimRequest.BaseUrl(request), cancellationToken)));
    }

    private static async Task<ScimResult> CreateAsync(
        HttpRequest request, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken)
    {
        var (body, error) = await ScimRequest.ReadAsync(request);
        if (body is null)
        {
            return error!;
        }
        var userName = ScimValues.String(ScimValues.Get(body, "userName"))?.Trim();
        if (string.IsNullOrEmpty(userName))
        {
            return ScimResult.BadRequest("invalidValue", "userName is required (the user's email address).");
        }
        var email = ScimValues.PrimaryEmail(ScimValues.Get(body, "emails")) ?? userName;
        if (!email.Contains('@'))
        {
            return ScimResult.BadRequest("invalidValue", "userName or a primary email must be an email address.");
        }
        var active = ScimValues.Has(body, "active") ? ScimValues.Boolean(ScimValues.Get(body, "active")) : true;
        if (active is null)
        {
            return ScimResult.BadRequest("invalidValue", "active must be true or false.");
        }

        var result = await accounts.CreateAsync(caller.UserActor(Api), new NewUserRequest
        {
            Email = email,
            UserName = userName,
            DisplayName = ScimValues.DisplayName(body),
            ExternalId = ScimValues.String(ScimValues.Get(body, "externalId")),
            GivenName = NamePart(body, "givenName"),
            FamilyName = NamePart(body, "familyName"),
            FormattedName = NamePart(body, "formatted"),
            Password = ScimValues.String(ScimValues.Get(body, "password")),
            Active = active.Value,
        }, cancellationToken);
        if (!result.Succeeded)
        {
            return AccountError(result, "");
        }
        var user = result.User!;
        return ScimResult.Created(await ScimUserRepresentation.BuildOneAsync(db, user, ScimRequest.BaseUrl(request), cancellationToken));
    }

    private static async Task<ScimResult> ReplaceAsync(
        string id, HttpRequest request, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db,
        CancellationToken cancellationToken)
    {
        var (body, error) = await ScimRequest.ReadAsync(request);
        if (body is null)
        {
            return error!;
        }
        var user = await accounts.FindAsync(id, cancellationToken);
        if (user is null)
        {
            return ScimResult.NotFound("User", id);
        }
        var userName = ScimValues.String(ScimValues.Get(body, "userName"))?.Trim();
        if (string.IsNullOrEmpty(userName))
        {
            return ScimResult.BadRequest("invalidValue", "userName is required (the user's email address).");
        }
        bool? active = null;
        if (ScimValues.Has(body, "active"))
        {
            active = ScimValues.Boolean(ScimValues.Get(body, "active"));
            if (active is null)
            {
                return ScimResult.BadRequest("invalidValue", "active must be true or false.");
            }
        }
        var change = new UserChange
        {
            UserName = userName,
            Email = ScimValues.PrimaryEmail(ScimValues.Get(body, "emails")) ?? (userName.Contains('@') ? userName : null),
            DisplayName = ScimValues.DisplayName(body) ?? userName,
            ExternalIdSet = ScimValues.Has(body, "externalId"),
            ExternalId = ScimValues.String(ScimValues.Get(body, "externalId")),
            // PUT replaces: a name part left out is cleared.
            GivenName = NamePart(body, "givenName") ?? "",
            FamilyName = NamePart(body, "familyName") ?? "",
            FormattedName = NamePart(body, "formatted") ?? "",
            Active = active,
            Password = ScimValues.String(ScimValues.Get(body, "password")),
        };
        return await SaveAsync(user, change, request, caller, accounts, db, cancellationToken);
    }

    private static async Task<ScimResult> PatchAsync(
        string id, HttpRequest request, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db,
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
        var user = await accounts.FindAsync(id, cancellationToken);
        if (user is null)
        {
            return ScimResult.NotFound("User", id);
        }

        var change = new UserChange();
        foreach (var node in operations)
        {
            if (node is not JsonObject operation)
            {
                return ScimResult.BadRequest("invalidSyntax", "Each operation must be an object with op, path and value.");
            }
            var op = ScimValues.String(ScimValues.Get(operation, "op"))?.ToLowerInvariant();
            if (op is not ("add" or "replace" or "remove"))
            {
                return ScimResult.BadRequest("invalidSyntax", $"The operation '{op}' is not add, replace or remove.");
            }
            var path = ScimValues.String(ScimValues.Get(operation, "path"));
            var value = ScimValues.Get(operation, "value");
            if (path is null)
            {
                if (op == "remove")
                {
                    return ScimResult.BadRequest("noTarget", "A remove operation needs a path.");
                }
                if (value is not JsonObject attributes)
                {
                    return ScimResult.BadRequest("invalidValue", "Without a path, the value must be an object of attributes.");
                }
                foreach (var (attribute, attributeValue) in attributes)
                {
                    (change, error) = Apply(change, user, ScimRequest.AttributePath(attribute), attributeValue, remove: false);
                    if (error is not null)
                    {
                        return error;
                    }
                }
            }
            else
            {
                (change, error) = Apply(change, user, ScimRequest.AttributePath(path), value, remove: op == "remove");
                if (error is not null)
                {
                    return error;
                }
            }
        }
        return await SaveAsync(user, change, request, caller, accounts, db, cancellationToken);
    }

    /// <summary>One PATCH operation on one attribute. Attributes the panel does not keep (title, phone numbers...) are accepted and ignored.</summary>
    private static (UserChange Change, ScimResult? Error) Apply(UserChange change, PanelUser user, string path, JsonNode? value, bool remove)
    {
        switch (path.ToLowerInvariant())
        {
            case "active":
                if (remove)
                {
                    return (change, ScimResult.BadRequest("mutability", "active cannot be removed; replace it with true or false."));
                }
                return ScimValues.Boolean(value) is { } active
                    ? (change with { Active = active }, null)
                    : (change, ScimResult.BadRequest("invalidValue", "active must be true or false."));
            case "username":
                return !remove && ScimValues.String(value) is { Length: > 0 } userName
                    ? (change with { UserName = userName }, null)
                    : (change, ScimResult.BadRequest("invalidValue", "userName is required and cannot be removed."));
            case "displayname":
                return (change with { DisplayName = remove ? user.Email ?? user.UserName : ScimValues.String(value) }, null);
            case "name.formatted":
                return (change with { FormattedName = remove ? "" : ScimValues.String(value) ?? "" }, null);
            case "name.givenname":
                return (change with { GivenName = remove ? "" : ScimValues.String(value) ?? "" }, null);
            case "name.familyname":
                return (change with { FamilyName = remove ? "" : ScimValues.String(value) ?? "" }, null);
            case "name":
                if (remove)
                {
                    return (change with { GivenName = "", FamilyName = "", FormattedName = "" }, null);
                }
                if (value is not JsonObject name)
                {
                    return (change, ScimResult.BadRequest("invalidValue", "name must be an object with givenName, familyName and formatted."));
                }
                // Only the sub-attributes given change (RFC 7644 3.5.2.3).
                return (change with
                {
                    GivenName = ScimValues.Has(name, "givenName") ? ScimValues.String(ScimValues.Get(name, "givenName")) ?? "" : change.GivenName,
                    FamilyName = ScimValues.Has(name, "familyName") ? ScimValues.String(ScimValues.Get(name, "familyName")) ?? "" : change.FamilyName,
                    FormattedName = ScimValues.Has(name, "formatted") ? ScimValues.String(ScimValues.Get(name, "formatted")) ?? "" : change.FormattedName,
                }, null);
            case "externalid":
                return (change with { ExternalIdSet = true, ExternalId = remove ? null : ScimValues.String(value) }, null);
            case "emails":
                return !remove && ScimValues.PrimaryEmail(value) is { } email
                    ? (change with { Email = email }, null)
                    : (change, remove ? ScimResult.BadRequest("mutability", "The email address cannot be removed.") : null);
            case "password":
                return remove ? (change, null) : (change with { Password = ScimValues.String(value) }, null);
            default:
                if (EmailValuePath().IsMatch(path))
                {
                    return !remove && ScimValues.String(value) is { Length: > 0 } emailValue
                        ? (change with { Email = emailValue }, null)
                        : (change, ScimResult.BadRequest("mutability", "The email address cannot be removed."));
                }
                if (path.Contains('[') && !path.StartsWith("emails", StringComparison.OrdinalIgnoreCase) && !path.Contains(':'))
                {
                    return (change, ScimResult.BadRequest("invalidPath", $"The path '{path}' is not supported."));
                }
                return (change, null);
        }
    }

    private static string? NamePart(JsonObject resource, string part) =>
        ScimValues.Get(resource, "name") is JsonObject name ? ScimValues.String(ScimValues.Get(name, part)) : null;

    private static async Task<ScimResult> SaveAsync(
        PanelUser user, UserChange change, HttpRequest request, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db,
        CancellationToken cancellationToken)
    {
        var result = await accounts.UpdateAsync(caller.UserActor(Api), user.Id, change, cancellationToken);
        if (!result.Succeeded)
        {
            return AccountError(result, user.Id);
        }
        return ScimResult.Ok(await ScimUserRepresentation.BuildOneAsync(db, result.User!, ScimRequest.BaseUrl(request), cancellationToken));
    }

    private static async Task<ScimResult> DeleteAsync(string id, ClaimsPrincipal caller, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var result = await accounts.DeleteAsync(caller.UserActor(Api), id, cancellationToken);
        return result.Succeeded ? ScimResult.NoContent() : AccountError(result, id);
    }

    /// <summary>The user service's refusals in the SCIM error shape (RFC 7644 3.12).</summary>
    internal static ScimResult AccountError(UserAccountResult result, string id) => result.Error switch
    {
        UserAccountError.NotFound => ScimResult.NotFound("User", id),
        UserAccountError.Forbidden or UserAccountError.OutrankedTarget or UserAccountError.RoleNotDelegable or UserAccountError.Self =>
            ScimResult.Error(StatusCodes.Status403Forbidden, null, result.Message),
        UserAccountError.Duplicate => ScimResult.Error(StatusCodes.Status409Conflict, "uniqueness", result.Message),
        _ => ScimResult.BadRequest("invalidValue", result.Message),
    };

    [GeneratedRegex("""^emails(\[[^\]]*\])?\.value$""", RegexOptions.IgnoreCase)]
    private static partial Regex EmailValuePath();
}

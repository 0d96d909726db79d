using System.Security.Claims;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api.Users;
using AccessTokenPanel.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Api.Configuration;

/// <summary>
/// <c>/api/config/v1</c>: the panel's own settings and users, with a Configuration API token.
/// Each endpoint names the permission it needs; the token's delegated role decides.
/// </summary>
internal static class ConfigurationApi
{
    private const string Via = "via Configuration API";

    public static RouteGroupBuilder MapConfigurationApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/config/v1").RequireApiToken(ApiType.Configuration).WithTags("Configuration API");

        api.MapGet("/settings", GetSettingsAsync).RequirePermission(Permission.SettingsRead)
            .WithName("GetSettings").WithSummary("Reads the panel settings, token policy included.");
        api.MapPatch("/settings", PatchSettingsAsync).RequirePermission(Permission.SettingsWrite)
            .WithName("PatchSettings").WithSummary("Changes the given settings; fields left out keep their value.");
        api.MapGet("/settings/token-policy", GetTokenPolicyAsync).RequirePermission(Permission.SettingsRead)
            .WithName("GetTokenPolicy").WithSummary("Reads the token policy: maximum lifetime, default expiry, allowed API types.");
        api.MapPut("/settings/token-policy", PutTokenPolicyAsync).RequirePermission(Permission.SettingsWrite)
            .WithName("PutTokenPolicy").WithSummary("Replaces the token policy.");

        api.MapGet("/users", ListUsersAsync).RequirePermission(Permission.UsersRead)
            .WithName("ListUsers").WithSummary("Lists the panel's users.");
        api.MapGet("/users/{id}", GetUserAsync).RequirePermission(Permission.UsersRead)
            .WithName("GetUser").WithSummary("Reads one user.");
        api.MapPost("/users", CreateUserAsync).RequirePermission(Permission.UsersWrite)
            .WithName("CreateUser").WithSummary("Creates a user with roles the token itself holds.");
        api.MapPost("/users/{id}/disable", DisableUserAsync).RequirePermission(Permission.UsersWrite)
            .WithName("DisableUser").WithSummary("Disables a user: their sign-in and tokens stop working.");
        api.MapPost("/users/{id}/enable", EnableUserAsync).RequirePermission(Permission.UsersWrite)
            .WithName("EnableUser").WithSummary("Enables a disabled user again.");
        return api;
    }

    private static async Task<Ok<SettingsResponse>> GetSettingsAsync(SettingsStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToResponse(await store.GetAsync(cancellationToken)));

    private static async Task<Ok<TokenPolicyResponse>> GetTokenPolicyAsync(SettingsStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToResponse(await store.GetAsync(cancellationToken)).TokenPolicy);

    private static Task<Results<Ok<SettingsResponse>, ValidationProblem>> PatchSettingsAsync(
        SettingsPatch body, ClaimsPrincipal user, SettingsUpdater updater, CancellationToken cancellationToken) =>
        ApplyAsync(body, user, updater, cancellationToken);

    private static async Task<Results<Ok<TokenPolicyResponse>, ValidationProblem>> PutTokenPolicyAsync(
        TokenPolicyBody body, ClaimsPrincipal user, SettingsUpdater updater, CancellationToken cancellationToken)
    {
        var missing = new Dictionary<string, string[]>();
        if (body.MaxLifetimeDays is null)
        {
            missing["maxLifetimeDays"] = ["Give maxLifetimeDays: PUT replaces the whole token policy."];
        }
        if (body.DefaultExpiryDays is null)
        {
            missing["defaultExpiryDays"] = ["Give defaultExpiryDays: PUT replaces the whole token policy."];
        }
        if (body.AllowedApiTypes is null)
        {
            missing["allowedApiTypes"] = [$"Give allowedApiTypes (a list of {ApiTypeNames.Allowed}; [] turns every API off): PUT replaces the whole token policy."];
        }
        if (missing.Count > 0)
        {
            return ApiProblems.Validation("token-policy-incomplete", missing, "The token policy is missing fields; use PATCH /settings to change some of them.");
        }
        var result = await ApplyAsync(new SettingsPatch(body.MaxLifetimeDays, body.DefaultExpiryDays, body.AllowedApiTypes, null),
            user, updater, cancellationToken);
        return result.Result switch
        {
            Ok<SettingsResponse> ok => TypedResults.Ok(ok.Value!.TokenPolicy),
            ValidationProblem problem => problem,
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>Reads the API type names here; every other rule is <see cref="SettingsUpdater"/>'s.</summary>
    private static async Task<Results<Ok<SettingsResponse>, ValidationProblem>> ApplyAsync(
        SettingsPatch patch, ClaimsPrincipal user, SettingsUpdater updater, CancellationToken cancellationToken)
    {
        string? unknownApi = null;
        HashSet<ApiType>? allowed = null;
        if (patch.AllowedApiTypes is not null)
        {
            allowed = [];
            foreach (var name in patch.AllowedApiTypes)
            {
                if (ApiTypeNames.FromWire(name) is { } api)
                {
                    allowed.Add(api);
                }
                else
                {
                    unknownApi = $"'{name}' is not an API type: use {ApiTypeNames.Allowed}.";
                }
            }
        }
        var change = new SettingsChange(user.OwnerId(), user.ViaToken("Configuration API"))
        {
            MaxLifetimeDays = patch.MaxLifetimeDays,
            DefaultExpiryDays = patch.DefaultExpiryDays,
            AllowedApis = allowed,
            OrganizationName = patch.OrganizationName,
        };

        IReadOnlyList<SettingsError> errors;
        if (unknownApi is null)
        {
            var result = await updater.SaveAsync(change, cancellationToken);
            if (result.Succeeded)
            {
                return TypedResults.Ok(ToResponse(result.Settings!));
            }
            errors = result.Errors;
        }
        else
        {
            errors = await updater.ValidateAsync(change, cancellationToken);
        }
        var fields = errors.ToDictionary(e => JsonField(e.Field), e => new[] { e.Message });
        if (unknownApi is not null)
        {
            fields["allowedApiTypes"] = [unknownApi];
        }
        return ApiProblems.Validation("settings-invalid", fields);
    }

    private static string JsonField(string field) => field switch
    {
        SettingsFields.MaxLifetimeDays => "maxLifetimeDays",
        SettingsFields.DefaultExpiryDays => "defaultExpiryDays",
        _ => "organizationName",
    };

    private static SettingsResponse ToResponse(PanelSettings settings) => new(
        new TokenPolicyResponse(settings.MaxLifetimeDays, settings.DefaultExpiryDays,
            ApiTypes.All.Where(settings.Allows).Select(a => a.ToWire()).ToList()),
        settings.OrganizationName, settings.UpdatedAt == default ? null : settings.UpdatedAt);

    private static async Task<Ok<List<UserResponse>>> ListUsersAsync(PanelDbContext db, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var roles = await RolesByUserAsync(db, null, cancellationToken);
        return TypedResults.Ok(users.Select(u => ToResponse(u, roles)).ToList());
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUserAsync(
        string id, PanelDbContext db, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user is null
            ? ApiProblems.NotFound("There is no user with this id.")
            : TypedResults.Ok(ToResponse(user, await RolesByUserAsync(db, id, cancellationToken)));
    }

    private static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> CreateUserAsync(
        CreateUserBody body, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Email) || !body.Email.Contains('@'))
        {
            return ApiProblems.Validation("email", "email-invalid", "Enter the user's email address.");
        }
        var roles = body.Roles ?? [];
        var granted = caller.TokenPermissions();
        foreach (var roleName in roles)
        {
            if (PanelRoles.Find(roleName) is not { } role)
            {
                return ApiProblems.Validation("roles", "role-unknown",
                    $"There is no role named '{roleName}'. Roles: {string.Join(", ", PanelRoles.All.Select(r => r.Name))}.");
            }
            if (!PanelRoles.CanDelegate(granted, role))
            {
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, "role-not-grantable", "Role not grantable",
                    $"This token cannot give the role {role.Name}: it does not hold all of that role's permissions.");
            }
        }
        var (user, result) = await accounts.CreateAsync(
            new NewUser(body.Email, body.DisplayName, body.ExternalId, body.Password, roles), caller.OwnerId(), caller.ViaToken("Configuration API"));
        if (!result.Succeeded)
        {
            return IdentityProblem(result);
        }
        var response = ToResponse(user!, await RolesByUserAsync(db, user!.Id, cancellationToken));
        return TypedResults.Created($"/api/config/v1/users/{user.Id}", response);
    }

    private static Task<Results<Ok<UserResponse>, ProblemHttpResult>> DisableUserAsync(
        string id, ClaimsPrincipal caller, UserManager<PanelUser> users, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        SetDisabledAsync(id, true, caller, users, accounts, db, cancellationToken);

    private static Task<Results<Ok<UserResponse>, ProblemHttpResult>> EnableUserAsync(
        string id, ClaimsPrincipal caller, UserManager<PanelUser> users, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        SetDisabledAsync(id, false, caller, users, accounts, db, cancellationToken);

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> SetDisabledAsync(
        string id, bool disabled, ClaimsPrincipal caller, UserManager<PanelUser> users, UserAccounts accounts, PanelDbContext db,
        CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return ApiProblems.NotFound("There is no user with this id.");
        }
        if (disabled && user.Id == caller.OwnerId())
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "cannot-disable-self", "Cannot disable yourself",
                "A token cannot disable the user it acts for.");
        }
        var result = await accounts.SetDisabledAsync(user, disabled, caller.OwnerId(), caller.ViaToken("Configuration API"));
        if (!result.Succeeded)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "update-failed", "Could not update the user",
                string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        return TypedResults.Ok(ToResponse(user, await RolesByUserAsync(db, id, cancellationToken)));
    }

    internal static Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult> IdentityProblem(IdentityResult result)
    {
        if (result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail)))
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "user-exists", "User exists", "A user with this email already exists.");
        }
        var errors = result.Errors
            .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "email")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
        return ApiProblems.Validation("user-invalid", errors);
    }

    private static UserResponse ToResponse(PanelUser user, IReadOnlyDictionary<string, List<string>> roles) => new(
        user.Id, user.Email ?? user.UserName ?? "", user.DisplayName,
        roles.TryGetValue(user.Id, out var names) ? names : [], user.IsDisabled, user.TwoFactorEnabled, user.ExternalId, user.CreatedAt);

    private static async Task<Dictionary<string, List<string>>> RolesByUserAsync(PanelDbContext db, string? userId, CancellationToken cancellationToken)
    {
        var pairs = await (
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            where userId == null || userRole.UserId == userId
            select new { userRole.UserId, role.Name }).ToListAsync(cancellationToken);
        return pairs.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.Select(p => p.Name!).Order().ToList());
    }
}

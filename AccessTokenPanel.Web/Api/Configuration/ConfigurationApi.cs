using System.Security.Claims;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Hosting;
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

        api.MapExternalTokenValidatorsApi();

        // The caller's own tokens, or anyone's when the token carries tokens.revoke-all and the
        // owner does not outrank it: the inventory's rule for deleting.
        api.MapPost("/tokens/{id:guid}/rotate", RotateTokenAsync).WithName("RotateAnyToken")
            .WithSummary("Rotates a token the caller may manage: a new secret (201, shown once) while the old one works for overlapMinutes (0-10080). Needs the token owner's current authentication code in X-OTP.")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
        api.MapPut("/tokens/{id:guid}/allowed-addresses", SetTokenAllowedAddressesAsync).WithName("SetAnyTokenAllowedAddresses")
            .WithSummary("Replaces the client addresses a token the caller may manage may be used from; [] allows every address.");

        // The caller's own token, or anyone's when the token carries tokens.read-all (the inventory's permission).
        api.MapGet("/tokens/{id:guid}/usage", GetTokenUsageAsync).WithName("GetAnyTokenUsage")
            .WithSummary("A token's use over the last 90 UTC days (the caller's own, or anyone's with tokens.read-all): requests per day, the last 5 client addresses, refusals by reason.");

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
        api.MapPatch("/users/{id}", UpdateUserAsync).RequirePermission(Permission.UsersWrite)
            .WithName("UpdateUser").WithSummary("Changes the given fields of a user; a new password ends their sessions and keeps their second factor.");
        api.MapDelete("/users/{id}", DeleteUserAsync).RequirePermission(Permission.UsersWrite)
            .WithName("DeleteUser").WithSummary("Deletes a user: tokens revoked, sessions ended; the account stays, disabled, for the audit log.");
        api.MapPost("/users/{id}/reset-2fa", ResetUserSecondFactorAsync).RequirePermission(Permission.UsersWrite)
            .WithName("ResetUserSecondFactor").WithSummary("Removes the user's authenticator; they enroll again at their next sign-in.");
        api.MapPut("/users/{id}/roles/{role}", AddUserRoleAsync).RequirePermission(Permission.UsersWrite)
            .WithName("AddUserRole").WithSummary("Gives the user a role the token itself holds.");
        api.MapDelete("/users/{id}/roles/{role}", RemoveUserRoleAsync).RequirePermission(Permission.UsersWrite)
            .WithName("RemoveUserRole").WithSummary("Takes a role from the user; their sessions end.");
        return api;
    }

    private static Task<Results<Created<IssuedTokenResponse>, ValidationProblem, ProblemHttpResult>> RotateTokenAsync(
        Guid id, RotateTokenBody? body, ClaimsPrincipal user, HttpContext http, UserManager<PanelUser> users,
        SecondFactorService secondFactor, TokenRotator rotator, TokenUsageRecorder usage, TimeProvider time,
        CancellationToken cancellationToken) =>
        TokenManagementApi.RotateAsync(id, body, user.TokenPermissions(), user, http, users, secondFactor, rotator, usage, time, cancellationToken);

    private static Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> SetTokenAllowedAddressesAsync(
        Guid id, AllowedAddressesBody? body, ClaimsPrincipal user, AllowedAddressesEditor editor, TokenUsageRecorder usage,
        TimeProvider time, CancellationToken cancellationToken) =>
        TokenManagementApi.SetAllowedAddressesAsync(id, body, user.TokenPermissions(), user, editor, usage, time, cancellationToken);

    private static Task<Results<Ok<TokenUsageResponse>, ProblemHttpResult>> GetTokenUsageAsync(
        Guid id, ClaimsPrincipal user, PanelDbContext db, Domain.Usage.TokenUsageHistory history,
        Microsoft.Extensions.Options.IOptions<TokenUsageOptions> options, CancellationToken cancellationToken) =>
        TokenManagementApi.GetUsageAsync(id, user.TokenPermissions(), user, db, history, options, cancellationToken);

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
        // The newer policy fields may be left out by older clients: they keep their value.
        var result = await ApplyAsync(new SettingsPatch(body.MaxLifetimeDays, body.DefaultExpiryDays, body.AllowedApiTypes, null,
            body.AccessTokenLifetimeMinutes, body.DirectCallApiTypes), user, updater, cancellationToken);
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
        var unknownApis = new Dictionary<string, string[]>();
        HashSet<ApiType>? ReadApis(IReadOnlyList<string>? names, string field)
        {
            if (names is null)
            {
                return null;
            }
            var apis = new HashSet<ApiType>();
            foreach (var name in names)
            {
                if (ApiTypeNames.FromWire(name) is { } api)
                {
                    apis.Add(api);
                }
                else
                {
                    unknownApis[field] = [$"'{name}' is not an API type: use {ApiTypeNames.Allowed}."];
                }
            }
            return apis;
        }
        var change = new SettingsChange(user.OwnerId(), user.ViaToken("Configuration API"))
        {
            MaxLifetimeDays = patch.MaxLifetimeDays,
            DefaultExpiryDays = patch.DefaultExpiryDays,
            AllowedApis = ReadApis(patch.AllowedApiTypes, "allowedApiTypes"),
            OrganizationName = patch.OrganizationName,
            AccessTokenLifetimeMinutes = patch.AccessTokenLifetimeMinutes,
            DirectCallApis = ReadApis(patch.DirectCallApiTypes, "directCallApiTypes"),
        };
        var unknownApi = unknownApis.Count > 0 ? "" : null;

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
        foreach (var (field, messages) in unknownApis)
        {
            fields[field] = messages;
        }
        return ApiProblems.Validation("settings-invalid", fields);
    }

    private static string JsonField(string field) => field switch
    {
        SettingsFields.MaxLifetimeDays => "maxLifetimeDays",
        SettingsFields.DefaultExpiryDays => "defaultExpiryDays",
        SettingsFields.AccessTokenLifetimeMinutes => "accessTokenLifetimeMinutes",
        _ => "organizationName",
    };

    private static SettingsResponse ToResponse(PanelSettings settings) => new(
        new TokenPolicyResponse(settings.MaxLifetimeDays, settings.DefaultExpiryDays,
            ApiTypes.All.Where(settings.Allows).Select(a => a.ToWire()).ToList(),
            settings.AccessTokenLifetimeMinutes,
            ApiTypes.All.Where(settings.AllowsDirectCalls).Select(a => a.ToWire()).ToList()),
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

    private const string Api = "Configuration API";

    private static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> CreateUserAsync(
        CreateUserBody body, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken)
    {
        var result = await accounts.CreateAsync(caller.UserActor(Api), new NewUserRequest
        {
            Email = body.Email ?? "",
            DisplayName = body.DisplayName,
            ExternalId = body.ExternalId,
            Password = body.Password,
            Roles = body.Roles ?? [],
        }, cancellationToken);
        if (!result.Succeeded)
        {
            return Problem(result);
        }
        var response = ToResponse(result.User!, await RolesByUserAsync(db, result.User!.Id, cancellationToken));
        return TypedResults.Created($"/api/config/v1/users/{result.User.Id}", response);
    }

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> UpdateUserAsync(
        string id, UpdateUserBody body, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.UpdateAsync(caller.UserActor(Api), id, new UserChange
        {
            Email = body.Email,
            UserName = body.Email,
            DisplayName = body.DisplayName,
            ExternalIdSet = body.ExternalId is not null,
            ExternalId = body.ExternalId,
            Active = body.Disabled is { } disabled ? !disabled : null,
            Password = body.Password,
        }, cancellationToken));

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> DisableUserAsync(
        string id, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.SetActiveAsync(caller.UserActor(Api), id, active: false, cancellationToken));

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> EnableUserAsync(
        string id, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.SetActiveAsync(caller.UserActor(Api), id, active: true, cancellationToken));

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> ResetUserSecondFactorAsync(
        string id, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.ResetSecondFactorAsync(caller.UserActor(Api), id, cancellationToken));

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> AddUserRoleAsync(
        string id, string role, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.SetRoleAsync(caller.UserActor(Api), id, role, member: true, cancellationToken));

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> RemoveUserRoleAsync(
        string id, string role, ClaimsPrincipal caller, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.SetRoleAsync(caller.UserActor(Api), id, role, member: false, cancellationToken));

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteUserAsync(
        string id, ClaimsPrincipal caller, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var result = await accounts.DeleteAsync(caller.UserActor(Api), id, cancellationToken);
        return result.Succeeded ? TypedResults.NoContent() : Problem(result);
    }

    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> ChangeUserAsync(
        string id, PanelDbContext db, CancellationToken cancellationToken, Func<Task<UserAccountResult>> change)
    {
        var result = await change();
        if (!result.Succeeded)
        {
            return Problem(result);
        }
        return TypedResults.Ok(ToResponse(result.User!, await RolesByUserAsync(db, id, cancellationToken)));
    }

    /// <summary>The user service's refusals as problem details: 404, 403, 409 or a 400 naming the field.</summary>
    private static ProblemOr Problem(UserAccountResult result) => result.Error switch
    {
        UserAccountError.NotFound => new(ApiProblems.NotFound(result.Message)),
        UserAccountError.Forbidden => new(ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Not allowed", result.Message)),
        UserAccountError.OutrankedTarget => new(ApiProblems.Problem(StatusCodes.Status403Forbidden, "user-outranks-caller", "User outranks the caller",
            result.Message + " The token's delegated role (as far as its owner holds it) must include every permission the user has.")),
        UserAccountError.RoleNotDelegable => new(ApiProblems.Problem(StatusCodes.Status403Forbidden, "role-not-grantable", "Role not grantable", result.Message)),
        UserAccountError.Self => new(ApiProblems.Problem(StatusCodes.Status409Conflict, "cannot-change-self", "Cannot do this to yourself", result.Message)),
        UserAccountError.Duplicate when result.Field == "externalId" =>
            new(ApiProblems.Problem(StatusCodes.Status409Conflict, "external-id-taken", "externalId taken", result.Message)),
        UserAccountError.Duplicate => new(ApiProblems.Problem(StatusCodes.Status409Conflict, "user-exists", "User exists", "A user with this email or user name already exists.")),
        UserAccountError.RoleUnknown => new(ApiProblems.Validation(result.Field ?? "roles", "role-unknown", result.Message)),
        _ => new(ApiProblems.Validation(result.Field ?? "user", "user-invalid", result.Message)),
    };

    /// <summary>Either problem shape, convertible to each endpoint's typed union.</summary>
    private readonly record struct ProblemOr(IResult Result)
    {
        public ProblemOr(ProblemHttpResult problem) : this((IResult)problem) { }
        public ProblemOr(ValidationProblem problem) : this((IResult)problem) { }

        public static implicit operator Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>(ProblemOr p) =>
            p.Result is ValidationProblem v ? v : (ProblemHttpResult)p.Result;
        public static implicit operator Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>(ProblemOr p) =>
            p.Result is ValidationProblem v ? v : (ProblemHttpResult)p.Result;
        public static implicit operator Results<NoContent, ValidationProblem, ProblemHttpResult>(ProblemOr p) =>
            p.Result is ValidationProblem v ? v : (ProblemHttpResult)p.Result;
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

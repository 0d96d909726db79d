using System.Security.Claims;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
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

        api.MapGet("/settings", GetSettingsAsync).RequirePermission(Permission.SettingsRead).Performs(Operations.ReadSettings)
            .WithName("GetSettings").WithSummary("Reads the panel settings, token policy included.");
        api.MapPatch("/settings", PatchSettingsAsync).RequirePermission(Permission.SettingsWrite).Performs(Operations.ChangeSettings)
            .WithName("PatchSettings").WithSummary("Changes the given settings; fields left out keep their value.");
        api.MapGet("/settings/token-policy", GetTokenPolicyAsync).RequirePermission(Permission.SettingsRead).Performs(Operations.ReadSettings)
            .WithName("GetTokenPolicy").WithSummary("Reads the token policy: maximum lifetime, default expiry, allowed API types.");
        api.MapPut("/settings/token-policy", PutTokenPolicyAsync).RequirePermission(Permission.SettingsWrite).Performs(Operations.ChangeSettings)
            .WithName("PutTokenPolicy").WithSummary("Replaces the token policy.");

        api.MapExternalTokenValidatorsApi();
        api.MapTokenGovernanceConfigurationApi();

        // The caller's own tokens, or anyone's when the token carries tokens.revoke-all and the
        // owner does not outrank it: the inventory's rule for deleting.
        api.MapPost("/tokens/{id:guid}/rotate", RotateTokenAsync).WithName("RotateAnyToken").Performs(Operations.RotateToken)
            .WithSummary("Rotates a token the caller may manage: a new secret (201, shown once) while the old one works for overlapMinutes (0-10080). Needs the token owner's current authentication code in X-OTP.")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
        api.MapPut("/tokens/{id:guid}/allowed-addresses", SetTokenAllowedAddressesAsync).WithName("SetAnyTokenAllowedAddresses")
            .Performs(Operations.SetAllowedAddresses).RequireRateLimiting(RateLimitPolicies.Credentials)
            .WithSummary("Replaces the client addresses a token the caller may manage may be used from (someone else's: with tokens.revoke-all, unless the owner outranks the token); [] allows every address. Widening the list (or removing it) needs the token owner's current authentication code in X-OTP.");

        // The caller's own token, or anyone's when the token carries tokens.read-all (the inventory's permission).
        api.MapGet("/tokens/{id:guid}/usage", GetTokenUsageAsync).WithName("GetAnyTokenUsage").Performs(Operations.ReadToken)
            .WithSummary("A token's use over the last 90 UTC days (the caller's own, or anyone's with tokens.read-all): requests per day, the last 5 client addresses, refusals by reason.");

        api.MapGet("/users", ListUsersAsync).RequirePermission(Permission.UsersRead).Performs(Operations.ReadUsers)
            .WithName("ListUsers").WithSummary("Lists the panel's users.");
        api.MapGet("/users/{id}", GetUserAsync).RequirePermission(Permission.UsersRead).Performs(Operations.ReadUsers)
            .WithName("GetUser").WithSummary("Reads one user.");
        api.MapPost("/users", CreateUserAsync).RequirePermission(Permission.UsersWrite).Performs(Operations.CreateUser)
            .WithName("CreateUser").WithSummary("Creates a user with roles the token itself holds.");
        api.MapPost("/users/{id}/disable", DisableUserAsync).RequirePermission(Permission.UsersWrite).Performs(Operations.UpdateUser)
            .WithName("DisableUser").WithSummary("Disables a user: their sign-in and tokens stop working.");
        api.MapPost("/users/{id}/enable", EnableUserAsync).RequirePermission(Permission.UsersWrite).Performs(Operations.UpdateUser)
            .WithName("EnableUser").WithSummary("Enables a disabled user again.");
        api.MapPatch("/users/{id}", UpdateUserAsync).RequirePermission(Permission.UsersWrite).Performs(Operations.UpdateUser)
            .WithName("UpdateUser").WithSummary("Changes the given fields of a user; a new password ends their sessions and keeps their second factor.");
        api.MapDelete("/users/{id}", DeleteUserAsync).RequirePermission(Permission.UsersWrite).Performs(Operations.DeleteUser)
            .WithName("DeleteUser").WithSummary("Deletes a user: tokens revoked, sessions ended; the account stays, disabled, for the audit log.");
        api.MapPost("/users/{id}/reset-2fa", ResetUserSecondFactorAsync).RequirePermission(Permission.UsersWrite).Performs(Operations.ResetSecondFactor)
            .WithName("ResetUserSecondFactor").WithSummary("Removes the user's authenticator; they enroll again at their next sign-in.");
        api.MapPut("/users/{id}/roles/{role}", AddUserRoleAsync).RequirePermission(Permission.UsersWrite).Performs(Operations.SetUserRole)
            .WithName("AddUserRole").WithSummary("Gives the user a role the token itself holds.");
        api.MapDelete("/users/{id}/roles/{role}", RemoveUserRoleAsync).RequirePermission(Permission.UsersWrite).Performs(Operations.SetUserRole)
            .WithName("RemoveUserRole").WithSummary("Takes a role from the user; their sessions end.");
        return api;
    }

    private static Task<Results<Created<IssuedTokenResponse>, ProblemHttpResult>> RotateTokenAsync(
        Guid id, RotateTokenBody? body, HttpContext http, TokenRotator rotator, TokenUsageRecorder usage, TimeProvider time,
        CancellationToken cancellationToken) =>
        TokenManagementApi.RotateAsync(id, body, http.ConfigurationActor(), http, rotator, usage, time, cancellationToken);

    private static Task<Results<Ok<TokenResponse>, ProblemHttpResult>> SetTokenAllowedAddressesAsync(
        Guid id, AllowedAddressesBody? body, HttpContext http, AllowedAddressesEditor editor, TokenUsageRecorder usage,
        TimeProvider time, CancellationToken cancellationToken) =>
        TokenManagementApi.SetAllowedAddressesAsync(id, body, http.ConfigurationActor(), editor, usage, time, cancellationToken);

    private static Task<Results<Ok<TokenUsageResponse>, ProblemHttpResult>> GetTokenUsageAsync(
        Guid id, HttpContext http, TokenReader reader, Microsoft.Extensions.Options.IOptions<TokenUsageOptions> options,
        CancellationToken cancellationToken) =>
        TokenManagementApi.GetUsageAsync(id, http.ConfigurationActor(), reader, options, cancellationToken);

    private static async Task<Results<Ok<SettingsResponse>, ProblemHttpResult>> GetSettingsAsync(
        HttpContext http, SettingsUpdater settings, CancellationToken cancellationToken)
    {
        var read = await settings.ReadAsync(http.ConfigurationActor(), cancellationToken);
        return read.Succeeded ? TypedResults.Ok(ToResponse(read.Value!)) : ApiProblems.From(read.Errors);
    }

    private static async Task<Results<Ok<TokenPolicyResponse>, ProblemHttpResult>> GetTokenPolicyAsync(
        HttpContext http, SettingsUpdater settings, CancellationToken cancellationToken)
    {
        var read = await settings.ReadAsync(http.ConfigurationActor(), cancellationToken);
        return read.Succeeded ? TypedResults.Ok(ToResponse(read.Value!).TokenPolicy) : ApiProblems.From(read.Errors);
    }

    private static Task<Results<Ok<SettingsResponse>, ValidationProblem, ProblemHttpResult>> PatchSettingsAsync(
        SettingsPatch body, HttpContext http, SettingsUpdater updater, CancellationToken cancellationToken) =>
        ApplyAsync(body, http, updater, cancellationToken);

    private static async Task<Results<Ok<TokenPolicyResponse>, ValidationProblem, ProblemHttpResult>> PutTokenPolicyAsync(
        TokenPolicyBody body, HttpContext http, SettingsUpdater updater, CancellationToken cancellationToken)
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
            body.AccessTokenLifetimeMinutes, body.DirectCallApiTypes), http, updater, cancellationToken);
        return result.Result switch
        {
            Ok<SettingsResponse> ok => TypedResults.Ok(ok.Value!.TokenPolicy),
            ValidationProblem problem => problem,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>Reads the API type names here; every other rule is <see cref="SettingsUpdater"/>'s.</summary>
    private static async Task<Results<Ok<SettingsResponse>, ValidationProblem, ProblemHttpResult>> ApplyAsync(
        SettingsPatch patch, HttpContext http, SettingsUpdater updater, CancellationToken cancellationToken)
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
        var actor = http.ConfigurationActor();
        var change = new SettingsChange(actor.UserId!, actor.Via)
        {
            MaxLifetimeDays = patch.MaxLifetimeDays,
            DefaultExpiryDays = patch.DefaultExpiryDays,
            AllowedApis = ReadApis(patch.AllowedApiTypes, "allowedApiTypes"),
            OrganizationName = patch.OrganizationName,
            AccessTokenLifetimeMinutes = patch.AccessTokenLifetimeMinutes,
            DirectCallApis = ReadApis(patch.DirectCallApiTypes, "directCallApiTypes"),
        };
        var unknownApi = unknownApis.Count > 0 ? "" : null;

        IReadOnlyList<DomainError> errors;
        if (unknownApi is null)
        {
            var result = await updater.SaveAsync(actor, change, cancellationToken);
            if (result.Succeeded)
            {
                return TypedResults.Ok(ToResponse(result.Settings!));
            }
            errors = result.Errors;
        }
        else
        {
            errors = await updater.ValidateAsync(actor, change, cancellationToken);
        }
        if (errors.Count > 0 && errors[0].Kind != ErrorKind.Invalid)
        {
            return ApiProblems.From(errors);
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

    private static async Task<Results<Ok<List<UserResponse>>, ProblemHttpResult>> ListUsersAsync(
        HttpContext http, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken)
    {
        var users = await accounts.ListAsync(http.ConfigurationActor(), cancellationToken);
        if (!users.Succeeded)
        {
            return ApiProblems.From(users.Errors);
        }
        var roles = await RolesByUserAsync(db, null, cancellationToken);
        return TypedResults.Ok(users.Value!.Select(u => ToResponse(u, roles)).ToList());
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUserAsync(
        string id, HttpContext http, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken)
    {
        var user = await accounts.ReadAsync(http.ConfigurationActor(), id, cancellationToken);
        return user.Succeeded
            ? TypedResults.Ok(ToResponse(user.Value!, await RolesByUserAsync(db, id, cancellationToken)))
            : ApiProblems.From(user.Errors);
    }

    private const string Api = "Configuration API";

    private static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> CreateUserAsync(
        CreateUserBody body, HttpContext http, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken)
    {
        var result = await accounts.CreateAsync(http.ConfigurationActor(), new NewUserRequest
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
        string id, UpdateUserBody body, HttpContext http, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.UpdateAsync(http.ConfigurationActor(), id, new UserChange
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
        string id, HttpContext http, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.SetActiveAsync(http.ConfigurationActor(), id, active: false, cancellationToken));

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> EnableUserAsync(
        string id, HttpContext http, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.SetActiveAsync(http.ConfigurationActor(), id, active: true, cancellationToken));

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> ResetUserSecondFactorAsync(
        string id, HttpContext http, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.ResetSecondFactorAsync(http.ConfigurationActor(), id, cancellationToken));

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> AddUserRoleAsync(
        string id, string role, HttpContext http, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.SetRoleAsync(http.ConfigurationActor(), id, role, member: true, cancellationToken));

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> RemoveUserRoleAsync(
        string id, string role, HttpContext http, UserAccounts accounts, PanelDbContext db, CancellationToken cancellationToken) =>
        ChangeUserAsync(id, db, cancellationToken, () => accounts.SetRoleAsync(http.ConfigurationActor(), id, role, member: false, cancellationToken));

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteUserAsync(
        string id, HttpContext http, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var result = await accounts.DeleteAsync(http.ConfigurationActor(), id, cancellationToken);
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

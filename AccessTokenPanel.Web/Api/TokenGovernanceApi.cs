using AccessTokenPanel.Domain.Approvals;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.ServiceAccounts;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AccessTokenPanel.Web.Api;

public sealed record TokenPolicyBody(int? MaxLifetimeDays, IReadOnlyList<string>? CreatorRoles, bool? ServiceAccountTokens, bool? AddressesRequired,
    int? IdleRevocationDays, string? ApprovalRole, bool? ApprovalForServiceAccounts);

public sealed record ApiTokenPolicyResponse(string Api, int? MaxLifetimeDays, int EffectiveMaxLifetimeDays, IReadOnlyList<string>? CreatorRoles,
    bool ServiceAccountTokens, bool AddressesRequired, int? IdleRevocationDays, string? ApprovalRole, bool ApprovalForServiceAccounts);

public sealed record OverPolicyTokenResponse(Guid Id, string OwnerId, string Name, string Api, string Hint, DateTime CreatedAt, DateTime ExpiresAt,
    DateTime? ShortenedTo, bool WillBeRevoked, string Reason);

public sealed record PolicyEnforcementResponse(int Shortened, int Revoked);

public sealed record TokenRequestResponse(Guid Id, string Status, string Name, string Api, string? DelegatedRole, string RequesterId, string Requester,
    string OwnerId, string Owner, DateTime CreatedAt, DateTime? DecidedAt, string? DecidedBy, string? Reason, DateTime LapsesAt, Guid? TokenId)
{
    public static TokenRequestResponse From(TokenRequestView v) => new(v.Request.Id, v.Status.ToString().ToLowerInvariant(), v.Request.Name,
        v.Request.ApiType.ToWire(), v.Request.DelegatedRole, v.Request.RequesterId, v.RequesterName, v.Request.OwnerId, v.OwnerName, v.Request.CreatedAt,
        v.Request.DecidedAt, v.DeciderName, v.Request.Reason, v.Request.LapsesAt, v.Request.TokenId);

    public static TokenRequestResponse From(TokenRequest r) => new(r.Id, r.Status.ToString().ToLowerInvariant(), r.Name, r.ApiType.ToWire(),
        r.DelegatedRole, r.RequesterId, r.RequesterId, r.OwnerId, r.OwnerId, r.CreatedAt, r.DecidedAt, null, r.Reason, r.LapsesAt, r.TokenId);
}

public sealed record DecisionBody(string? Reason);

public sealed record NewServiceAccountBody(string? Name, string? Description, string? Role);

public sealed record AddOwnerBody(string? Owner);

public sealed record ServiceAccountResponse(string Id, string Name, string? Description, string? Role, bool Disabled, DateTime CreatedAt,
    int ActiveOwners, bool Ownerless, int LiveTokens, IReadOnlyList<ServiceAccountOwnerResponse>? Owners, IReadOnlyList<TokenResponse>? Tokens)
{
    public static ServiceAccountResponse From(ServiceAccountSummary s) =>
        new(s.Id, s.Name, s.Description, s.Role, s.Disabled, s.CreatedAt, s.ActiveOwners, s.Ownerless, s.LiveTokens, null, null);

    public static ServiceAccountResponse From(ServiceAccountDetails d, DateTime now, TokenUsageRecorder usage) => From(d.Account) with
    {
        Owners = d.Owners.Select(o => new ServiceAccountOwnerResponse(o.UserId, o.Email, o.Active, o.AddedAt)).ToList(),
        Tokens = d.Tokens.Select(t => TokenResponse.From(t, now, usage)).ToList(),
    };
}

public sealed record ServiceAccountOwnerResponse(string UserId, string Email, bool Active, DateTime AddedAt);

/// <summary>
/// Service accounts, token policies and approvals on the Configuration API (the token's delegated
/// role decides) and on the REST API (the caller's own service accounts and token requests). Every
/// handler builds the actor and calls one Domain operation; the Domain decides.
/// </summary>
internal static class TokenGovernanceApi
{
    public static void MapTokenGovernanceConfigurationApi(this RouteGroupBuilder api)
    {
        api.MapGet("/token-policies", GetPoliciesAsync).RequirePermission(Permission.SettingsRead).Performs(Operations.ReadSettings)
            .WithName("GetTokenPolicies").WithSummary("Reads the token policy of each API: maximum lifetime, who may create, addresses required, idle revocation, approval.");
        api.MapPut("/token-policies/{api}", PutPolicyAsync).RequirePermission(Permission.SettingsWrite).Performs(Operations.ChangeSettings)
            .WithName("PutTokenPolicyForApi").WithSummary("Replaces one API's token policy (api: configuration, scim or rest). New tokens follow it at once; existing ones over it are listed by /token-policies/over-policy.");
        api.MapGet("/token-policies/over-policy", GetOverPolicyAsync).RequirePermission(Permission.SettingsRead).Performs(Operations.ListAllTokens)
            .WithName("GetTokensOverPolicy").WithSummary("Lists the live tokens that their API's policy would not allow today, and what bringing them into it would do.");
        api.MapPost("/token-policies/enforce", EnforceAsync).Performs(Operations.EnforceTokenPolicy)
            .WithName("EnforceTokenPolicies").WithSummary("Brings every token over its policy into it: shortens it to the policy's lifetime from its creation, or revokes it.");

        api.MapGet("/token-requests", ListPendingAsync).Performs(Operations.ListPendingTokenRequests)
            .WithName("ListPendingTokenRequests").WithSummary("Lists the token requests waiting for approval (needs tokens.approve).");
        api.MapPost("/token-requests/{id:guid}/approve", ApproveAsync).Performs(Operations.DecideTokenRequest)
            .WithName("ApproveTokenRequest").WithSummary("Approves someone else's token request, with a reason; the requester then takes the secret once.");
        api.MapPost("/token-requests/{id:guid}/deny", DenyAsync).Performs(Operations.DecideTokenRequest)
            .WithName("DenyTokenRequest").WithSummary("Denies someone else's token request, with a reason.");

        MapServiceAccounts(api, "Configuration", http => http.ConfigurationActor());
        api.MapPost("/service-accounts", CreateServiceAccountAsync).Performs(Operations.CreateServiceAccount)
            .WithName("CreateServiceAccount").WithSummary("Creates a service account with a role the token itself holds; the token's owner becomes its first owner.");
        api.MapPost("/service-accounts/{id}/owners", AddOwnerAsync).Performs(Operations.ManageServiceAccount)
            .WithName("AddServiceAccountOwner").WithSummary("Adds an active person (owner: email or user id) as an owner.");
        api.MapDelete("/service-accounts/{id}/owners/{userId}", RemoveOwnerAsync).Performs(Operations.ManageServiceAccount)
            .WithName("RemoveServiceAccountOwner").WithSummary("Removes an owner; with none left the account is marked and administrators are told, its tokens keep working.");
        api.MapPost("/service-accounts/{id}/disable", DisableAsync).Performs(Operations.ManageServiceAccount)
            .WithName("DisableServiceAccount").WithSummary("Disables a service account: its tokens stop working until it is enabled.");
        api.MapPost("/service-accounts/{id}/enable", EnableAsync).Performs(Operations.ManageServiceAccount)
            .WithName("EnableServiceAccount").WithSummary("Enables a disabled service account.");
        api.MapDelete("/service-accounts/{id}", DeleteServiceAccountAsync).Performs(Operations.DeleteServiceAccount)
            .WithName("DeleteServiceAccount").WithSummary("Deletes a service account and revokes its tokens.");
    }

    public static void MapTokenGovernanceRestApi(this RouteGroupBuilder api)
    {
        var rest = api.MapGroup("").RequireApiToken(ApiType.Rest);
        MapServiceAccounts(rest, "Rest", http => http.RestActor());
        rest.MapGet("/token-requests", ListOwnRequestsAsync).Performs(Operations.ListOwnTokenRequests)
            .WithName("ListOwnTokenRequests").WithSummary("Lists the caller's token requests: pending, approved, denied, lapsed, taken.");
        rest.MapPost("/token-requests/{id:guid}/take", TakeAsync).Performs(Operations.TakeTokenRequest).RequireRateLimiting(RateLimitPolicies.Credentials)
            .WithName("TakeTokenRequest").WithSummary("Takes the secret of the caller's approved token request, once (201, Cache-Control: no-store); needs the current authentication code in X-OTP.");
    }

    // The reads and the issuing of a service account's tokens are the same on both APIs: the actor decides.
    private static void MapServiceAccounts(RouteGroupBuilder api, string prefix, Func<HttpContext, Actor> actorOf)
    {
        api.MapGet("/service-accounts", async (HttpContext http, ServiceAccounts accounts, CancellationToken cancellationToken) =>
            {
                var list = await accounts.ListAsync(actorOf(http), cancellationToken);
                return list.Succeeded
                    ? (Results<Ok<List<ServiceAccountResponse>>, ProblemHttpResult>)TypedResults.Ok(list.Value!.Select(ServiceAccountResponse.From).ToList())
                    : ApiProblems.From(list.Errors);
            })
            .Performs(Operations.ListServiceAccounts).WithName($"{prefix}ListServiceAccounts")
            .WithSummary("Lists the service accounts the caller owns (every one with users.read on the Configuration API).");
        api.MapGet("/service-accounts/{id}", async (string id, HttpContext http, ServiceAccounts accounts, TokenUsageRecorder usage, TimeProvider time,
                CancellationToken cancellationToken) =>
            {
                var read = await accounts.ReadAsync(actorOf(http), id, cancellationToken);
                return read.Succeeded
                    ? (Results<Ok<ServiceAccountResponse>, ProblemHttpResult>)TypedResults.Ok(ServiceAccountResponse.From(read.Value!, time.GetUtcNow().UtcDateTime, usage))
                    : ApiProblems.From(read.Errors);
            })
            .Performs(Operations.ReadServiceAccount).WithName($"{prefix}GetServiceAccount")
            .WithSummary("Reads a service account with its owners and tokens: its owners, or anyone with users.read.");
        api.MapPost("/service-accounts/{id}/tokens", (string id, IssueTokenBody body, HttpContext http, TokenIssuer issuer, TokenUsageRecorder usage,
                TimeProvider time, CancellationToken cancellationToken) =>
                // No parent: a service account's token must outlive whichever owner's token asked for it.
                IssueAsync(body, actorOf(http), id, null, http, issuer, usage, time, cancellationToken))
            .Performs(Operations.IssueToken).RequireRateLimiting(RateLimitPolicies.Credentials).WithName($"{prefix}IssueServiceAccountToken")
            .WithSummary("An owner issues a token for the service account (it acts with the account's role); needs the owner's current authentication code in X-OTP. 202 with the request when the policy wants approval.");
    }

    /// <summary>Issues for <paramref name="ownerId"/> (the actor, or a service account they own): 201 with the secret once, or 202 with the pending request.</summary>
    public static async Task<Results<Created<IssuedTokenResponse>, Accepted<TokenRequestResponse>, ProblemHttpResult>> IssueAsync(
        IssueTokenBody body, Actor actor, string ownerId, Guid? parentTokenId, HttpContext http, TokenIssuer issuer, TokenUsageRecorder usage,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var apiType = ApiTypeNames.FromWire(body.Api);
        if (apiType is null)
        {
            return ApiProblems.From(new DomainError(TokenErrorCodes.ApiUnknown, TokenFields.Api, $"Set api to {ApiTypeNames.Allowed}."));
        }
        if (body is { Days: not null, ExpirationDate: not null })
        {
            return ApiProblems.From(new DomainError("expiry-ambiguous", TokenFields.Days, "Give either days or expirationDate, not both."));
        }
        var expiry = body switch
        {
            { Days: { } days } => TokenExpiry.InDays(days),
            { ExpirationDate: { } date } => TokenExpiry.OnDate(date),
            _ => null,
        };
        var result = await issuer.IssueAsync(actor, new IssueTokenRequest(
            ownerId, body.Name, apiType.Value, body.DelegatedRole, expiry, ParentTokenId: parentTokenId,
            AllowedAddresses: body.AllowedAddresses?.Select(a => a ?? "").ToList()), cancellationToken);
        if (result.IsPending)
        {
            return TypedResults.Accepted($"/api/v1/token-requests/{result.Request!.Id}", TokenRequestResponse.From(result.Request));
        }
        if (!result.Succeeded)
        {
            return ApiProblems.From(result.Errors);
        }
        http.Response.Headers.CacheControl = "no-store";
        var token = TokenResponse.From(result.Token!, time.GetUtcNow().UtcDateTime, usage);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new IssuedTokenResponse(token, result.Secret!));
    }

    private static async Task<Results<Ok<List<ApiTokenPolicyResponse>>, ProblemHttpResult>> GetPoliciesAsync(
        HttpContext http, TokenPolicies policies, Domain.Settings.SettingsStore settings, CancellationToken cancellationToken)
    {
        var read = await policies.ReadAsync(http.ConfigurationActor(), cancellationToken);
        if (!read.Succeeded)
        {
            return ApiProblems.From(read.Errors);
        }
        var general = (await settings.GetAsync(cancellationToken)).MaxLifetimeDays;
        return TypedResults.Ok(read.Value!.Values.Select(p => ToResponse(p, general)).ToList());
    }

    private static async Task<Results<Ok<ApiTokenPolicyResponse>, ProblemHttpResult>> PutPolicyAsync(
        string api, TokenPolicyBody body, HttpContext http, TokenPolicies policies, Domain.Settings.SettingsStore settings, CancellationToken cancellationToken)
    {
        if (ApiTypeNames.FromWire(api) is not { } apiType)
        {
            return ApiProblems.From(new DomainError(TokenErrorCodes.ApiUnknown, "api", $"The API in the path must be {ApiTypeNames.Allowed}.", ErrorKind.NotFound));
        }
        var saved = await policies.SaveAsync(http.ConfigurationActor(), new TokenPolicyChange(apiType, body.MaxLifetimeDays, body.CreatorRoles,
            body.ServiceAccountTokens ?? true, body.AddressesRequired ?? false, body.IdleRevocationDays, body.ApprovalRole,
            body.ApprovalForServiceAccounts ?? false), cancellationToken);
        return saved.Succeeded
            ? TypedResults.Ok(ToResponse(saved.Value!, (await settings.GetAsync(cancellationToken)).MaxLifetimeDays))
            : ApiProblems.From(saved.Errors);
    }

    private static async Task<Results<Ok<List<OverPolicyTokenResponse>>, ProblemHttpResult>> GetOverPolicyAsync(
        HttpContext http, TokenPolicies policies, OperationGuard guard, CancellationToken cancellationToken)
    {
        if (await guard.AuthorizeAsync(http.ConfigurationActor(), Operations.ListAllTokens, cancellationToken: cancellationToken) is { } refused)
        {
            return ApiProblems.From(refused);
        }
        return TypedResults.Ok((await policies.ListOverPolicyAsync(cancellationToken))
            .Select(t => new OverPolicyTokenResponse(t.Id, t.OwnerId, t.Name, t.ApiType.ToWire(), t.Hint, t.CreatedAt, t.ExpiresAt, t.ShortenedTo,
                t.WillBeRevoked, t.Reason)).ToList());
    }

    private static async Task<Results<Ok<PolicyEnforcementResponse>, ProblemHttpResult>> EnforceAsync(
        HttpContext http, TokenPolicies policies, CancellationToken cancellationToken)
    {
        var done = await policies.EnforceAsync(http.ConfigurationActor(), cancellationToken);
        return done.Succeeded ? TypedResults.Ok(new PolicyEnforcementResponse(done.Value!.Shortened, done.Value.Revoked)) : ApiProblems.From(done.Errors);
    }

    private static async Task<Results<Ok<List<TokenRequestResponse>>, ProblemHttpResult>> ListPendingAsync(
        HttpContext http, TokenRequests requests, CancellationToken cancellationToken)
    {
        var list = await requests.ListPendingAsync(http.ConfigurationActor(), cancellationToken);
        return list.Succeeded ? TypedResults.Ok(list.Value!.Select(TokenRequestResponse.From).ToList()) : ApiProblems.From(list.Errors);
    }

    private static Task<Results<Ok<TokenRequestResponse>, ProblemHttpResult>> ApproveAsync(
        Guid id, DecisionBody? body, HttpContext http, TokenRequests requests, CancellationToken cancellationToken) =>
        DecideAsync(id, true, body, http, requests, cancellationToken);

    private static Task<Results<Ok<TokenRequestResponse>, ProblemHttpResult>> DenyAsync(
        Guid id, DecisionBody? body, HttpContext http, TokenRequests requests, CancellationToken cancellationToken) =>
        DecideAsync(id, false, body, http, requests, cancellationToken);

    private static async Task<Results<Ok<TokenRequestResponse>, ProblemHttpResult>> DecideAsync(
        Guid id, bool approve, DecisionBody? body, HttpContext http, TokenRequests requests, CancellationToken cancellationToken)
    {
        var decided = await requests.DecideAsync(http.ConfigurationActor(), id, approve, body?.Reason, cancellationToken);
        return decided.Succeeded ? TypedResults.Ok(TokenRequestResponse.From(decided.Value!)) : ApiProblems.From(decided.Errors);
    }

    private static async Task<Results<Ok<List<TokenRequestResponse>>, ProblemHttpResult>> ListOwnRequestsAsync(
        HttpContext http, TokenRequests requests, CancellationToken cancellationToken)
    {
        var list = await requests.ListOwnAsync(http.RestActor(), cancellationToken);
        return list.Succeeded ? TypedResults.Ok(list.Value!.Select(TokenRequestResponse.From).ToList()) : ApiProblems.From(list.Errors);
    }

    private static async Task<Results<Created<IssuedTokenResponse>, ProblemHttpResult>> TakeAsync(
        Guid id, HttpContext http, TokenRequests requests, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken)
    {
        var taken = await requests.TakeAsync(http.RestActor(), id, cancellationToken);
        if (!taken.Succeeded)
        {
            return ApiProblems.From(taken.Errors);
        }
        http.Response.Headers.CacheControl = "no-store";
        var token = TokenResponse.From(taken.Token!, time.GetUtcNow().UtcDateTime, usage);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new IssuedTokenResponse(token, taken.Secret!));
    }

    private static async Task<Results<Created<ServiceAccountResponse>, ProblemHttpResult>> CreateServiceAccountAsync(
        NewServiceAccountBody body, HttpContext http, ServiceAccounts accounts, CancellationToken cancellationToken)
    {
        var created = await accounts.CreateAsync(http.ConfigurationActor(), new NewServiceAccount(body.Name, body.Description, body.Role), cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/config/v1/service-accounts/{created.Value!.Id}", ServiceAccountResponse.From(created.Value))
            : ApiProblems.From(created.Errors);
    }

    private static async Task<Results<Ok<ServiceAccountResponse>, ProblemHttpResult>> AddOwnerAsync(
        string id, AddOwnerBody body, HttpContext http, ServiceAccounts accounts, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken) =>
        Details(await accounts.AddOwnerAsync(http.ConfigurationActor(), id, body.Owner, cancellationToken), usage, time);

    private static async Task<Results<Ok<ServiceAccountResponse>, ProblemHttpResult>> RemoveOwnerAsync(
        string id, string userId, HttpContext http, ServiceAccounts accounts, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken) =>
        Details(await accounts.RemoveOwnerAsync(http.ConfigurationActor(), id, userId, cancellationToken), usage, time);

    private static async Task<Results<Ok<ServiceAccountResponse>, ProblemHttpResult>> DisableAsync(
        string id, HttpContext http, ServiceAccounts accounts, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken) =>
        Details(await accounts.SetDisabledAsync(http.ConfigurationActor(), id, true, cancellationToken), usage, time);

    private static async Task<Results<Ok<ServiceAccountResponse>, ProblemHttpResult>> EnableAsync(
        string id, HttpContext http, ServiceAccounts accounts, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken) =>
        Details(await accounts.SetDisabledAsync(http.ConfigurationActor(), id, false, cancellationToken), usage, time);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteServiceAccountAsync(
        string id, HttpContext http, ServiceAccounts accounts, CancellationToken cancellationToken)
    {
        var deleted = await accounts.DeleteAsync(http.ConfigurationActor(), id, cancellationToken);
        return deleted.Succeeded ? TypedResults.NoContent() : ApiProblems.From(deleted.Errors);
    }

    private static Results<Ok<ServiceAccountResponse>, ProblemHttpResult> Details(Result<ServiceAccountDetails> result, TokenUsageRecorder usage, TimeProvider time) =>
        result.Succeeded ? TypedResults.Ok(ServiceAccountResponse.From(result.Value!, time.GetUtcNow().UtcDateTime, usage)) : ApiProblems.From(result.Errors);

    private static ApiTokenPolicyResponse ToResponse(TokenPolicy p, int general) => new(p.ApiType.ToWire(), p.MaxLifetimeDays, p.MaxLifetimeDays ?? general,
        p.CreatorRoleList, p.ServiceAccountTokens, p.AddressesRequired, p.IdleRevocationDays, p.ApprovalRole, p.ApprovalForServiceAccounts);
}

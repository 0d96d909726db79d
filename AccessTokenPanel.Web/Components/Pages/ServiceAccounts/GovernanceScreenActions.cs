using AccessTokenPanel.Domain.Approvals;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.ServiceAccounts;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Components.Pages.Tokens;

using ServiceAccountsDomain = AccessTokenPanel.Domain.ServiceAccounts.ServiceAccounts;

namespace AccessTokenPanel.Web.Components.Pages.ServiceAccounts;

/// <summary>
/// What the Service accounts, Approvals and token-request screens do on the server: each call looks
/// the signed-in user up again in a fresh scope (<see cref="TokenScreenActions.GetActorAsync"/>) and
/// runs one Domain operation as them, which decides. A signed-out user gets <see cref="SignedOut"/>.
/// </summary>
public sealed class GovernanceScreenActions(TokenScreenActions tokens, IServiceScopeFactory scopes)
{
    public static readonly DomainError SignedOut = new("signed-out", "", TokenScreenActions.SignedOutMessage, ErrorKind.Forbidden);

    [Performs("service-accounts.list")]
    public Task<Result<IReadOnlyList<ServiceAccountSummary>>> ListServiceAccountsAsync(CancellationToken cancellationToken = default) =>
        RunAsync<ServiceAccountsDomain, IReadOnlyList<ServiceAccountSummary>>((s, actor) => s.ListAsync(actor, cancellationToken), cancellationToken);

    [Performs("service-accounts.read")]
    public Task<Result<ServiceAccountDetails>> ReadServiceAccountAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync<ServiceAccountsDomain, ServiceAccountDetails>((s, actor) => s.ReadAsync(actor, id, cancellationToken), cancellationToken);

    [Performs("service-accounts.create")]
    public Task<Result<ServiceAccountSummary>> CreateServiceAccountAsync(NewServiceAccount request, CancellationToken cancellationToken = default) =>
        RunAsync<ServiceAccountsDomain, ServiceAccountSummary>((s, actor) => s.CreateAsync(actor, request, cancellationToken), cancellationToken);

    [Performs("service-accounts.manage")]
    public Task<Result<ServiceAccountDetails>> AddOwnerAsync(string id, string? who, CancellationToken cancellationToken = default) =>
        RunAsync<ServiceAccountsDomain, ServiceAccountDetails>((s, actor) => s.AddOwnerAsync(actor, id, who, cancellationToken), cancellationToken);

    [Performs("service-accounts.manage")]
    public Task<Result<ServiceAccountDetails>> RemoveOwnerAsync(string id, string userId, CancellationToken cancellationToken = default) =>
        RunAsync<ServiceAccountsDomain, ServiceAccountDetails>((s, actor) => s.RemoveOwnerAsync(actor, id, userId, cancellationToken), cancellationToken);

    [Performs("service-accounts.manage")]
    public Task<Result<ServiceAccountDetails>> SetDisabledAsync(string id, bool disabled, CancellationToken cancellationToken = default) =>
        RunAsync<ServiceAccountsDomain, ServiceAccountDetails>((s, actor) => s.SetDisabledAsync(actor, id, disabled, cancellationToken), cancellationToken);

    [Performs("service-accounts.delete")]
    public Task<Result<int>> DeleteServiceAccountAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync<ServiceAccountsDomain, int>((s, actor) => s.DeleteAsync(actor, id, cancellationToken), cancellationToken);

    [Performs("token-requests.list-own")]
    public Task<Result<IReadOnlyList<TokenRequestView>>> ListOwnRequestsAsync(CancellationToken cancellationToken = default) =>
        RunAsync<TokenRequests, IReadOnlyList<TokenRequestView>>((s, actor) => s.ListOwnAsync(actor, cancellationToken), cancellationToken);

    [Performs("token-requests.list-pending")]
    public Task<Result<IReadOnlyList<TokenRequestView>>> ListPendingAsync(CancellationToken cancellationToken = default) =>
        RunAsync<TokenRequests, IReadOnlyList<TokenRequestView>>((s, actor) => s.ListPendingAsync(actor, cancellationToken), cancellationToken);

    [Performs("token-requests.decide")]
    public Task<Result<TokenRequestView>> DecideAsync(Guid id, bool approve, string? reason, CancellationToken cancellationToken = default) =>
        RunAsync<TokenRequests, TokenRequestView>((s, actor) => s.DecideAsync(actor, id, approve, reason, cancellationToken), cancellationToken);

    /// <summary>The secret of the user's approved request, once, after the step-up <paramref name="code"/>.</summary>
    [Performs("token-requests.take")]
    public async Task<IssueTokenResult> TakeAsync(Guid id, string? code, CancellationToken cancellationToken = default)
    {
        var actor = await tokens.GetActorAsync(cancellationToken);
        if (actor is null)
        {
            return IssueTokenResult.Failed([SignedOut]);
        }
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TokenRequests>().TakeAsync(actor.Actor with { StepUpCode = code }, id, cancellationToken);
    }

    [Performs("settings.read")]
    public Task<Result<IReadOnlyDictionary<ApiType, TokenPolicy>>> ReadPoliciesAsync(CancellationToken cancellationToken = default) =>
        RunAsync<TokenPolicies, IReadOnlyDictionary<ApiType, TokenPolicy>>((s, actor) => s.ReadAsync(actor, cancellationToken), cancellationToken);

    [Performs("settings.write")]
    public Task<Result<TokenPolicy>> SavePolicyAsync(TokenPolicyChange change, CancellationToken cancellationToken = default) =>
        RunAsync<TokenPolicies, TokenPolicy>((s, actor) => s.SaveAsync(actor, change, cancellationToken), cancellationToken);

    [Performs("tokens.enforce-policy")]
    public Task<Result<PolicyEnforcement>> EnforcePolicyAsync(CancellationToken cancellationToken = default) =>
        RunAsync<TokenPolicies, PolicyEnforcement>((s, actor) => s.EnforceAsync(actor, cancellationToken), cancellationToken);

    /// <summary>The tokens over the policy, for those who may bring them into it.</summary>
    [Performs("tokens.list-all")]
    public async Task<Result<IReadOnlyList<OverPolicyToken>>> ListOverPolicyAsync(CancellationToken cancellationToken = default)
    {
        var actor = await tokens.GetActorAsync(cancellationToken);
        if (actor is null)
        {
            return SignedOut;
        }
        await using var scope = scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<Domain.Authorization.OperationGuard>()
                .AuthorizeAsync(actor.Actor, Domain.Authorization.Operations.ListAllTokens, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        return Result<IReadOnlyList<OverPolicyToken>>.Ok(await scope.ServiceProvider.GetRequiredService<TokenPolicies>().ListOverPolicyAsync(cancellationToken));
    }

    private async Task<Result<T>> RunAsync<TService, T>(Func<TService, Domain.Authorization.Actor, Task<Result<T>>> operation, CancellationToken cancellationToken)
        where TService : notnull
    {
        var actor = await tokens.GetActorAsync(cancellationToken);
        if (actor is null)
        {
            return SignedOut;
        }
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>(), actor.Actor);
    }
}

using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Components.Account;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

/// <summary>Who is acting, as the database says now: the user, their permissions and the token policy.</summary>
public sealed record TokenScreenActor(PanelUser User, IReadOnlySet<string> Permissions, PanelSettings Settings)
{
    public bool CanReadAll => Permissions.Contains(Permission.TokensReadAll);

    /// <summary>The user as the Domain's operations see them: a signed-in, enrolled session.</summary>
    public Actor Actor { get; } = Actor.Session(User.Id, Permissions, enrolled: true, via: "on the panel");
}

/// <summary>
/// What the token screens do on the server. A circuit lives for minutes or hours, so every call
/// looks the signed-in user up again (security stamp, disabled flag, permissions) in a fresh
/// scope: a hidden button is not a permission, and a stale DbContext would not see revocations
/// made elsewhere.
/// </summary>
public sealed class TokenScreenActions(AuthenticationStateProvider authentication, IServiceScopeFactory scopes, TimeProvider time)
{
    public const string SignedOutMessage = "Your session has ended or your account was changed. Sign in again.";

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The current actor, or null when the session no longer stands (signed out, disabled, stamp changed).</summary>
    [Performs()]
    public async Task<TokenScreenActor?> GetActorAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await ResolveAsync(scope.ServiceProvider, cancellationToken);
    }

    /// <param name="inventory">Everyone's tokens (needs <see cref="Permission.TokensReadAll"/>) instead of the actor's.</param>
    /// <returns>Null when the actor may not see that list.</returns>
    [Performs("tokens.list-own", "tokens.list-all")]
    public async Task<TokenListView?> ReadAsync(TokenListState state, bool inventory, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var actor = await ResolveAsync(scope.ServiceProvider, cancellationToken);
        if (actor is null
            || await scope.ServiceProvider.GetRequiredService<OperationGuard>().AuthorizeAsync(
                actor.Actor, inventory ? Operations.ListAllTokens : Operations.ListOwnTokens, inventory ? null : actor.User.Id,
                cancellationToken: cancellationToken) is not null)
        {
            return null;
        }
        var reader = scope.ServiceProvider.GetRequiredService<TokenListReader>();
        var now = Now;
        var page = await reader.ReadAsync(state, inventory ? null : actor.User.Id, now, cancellationToken);
        var liveCount = inventory ? 0 : await reader.CountLiveAsync(actor.User.Id, cancellationToken);
        foreach (var row in page.Rows)
        {
            // Untracked rows; the screen never needs the hash, and the view may travel in the prerendered page.
            row.Token.SecretHash = [];
        }
        return new TokenListView(actor.User.Id, actor.CanReadAll, actor.Permissions.Contains(Permission.TokensRevokeAll), page, liveCount, now);
    }

    /// <summary>
    /// One token with its usage history, if the actor may see it (their own, or anyone's with the
    /// inventory permission); someone else's token reads as not found.
    /// </summary>
    [Performs("tokens.read")]
    public async Task<TokenDetailsLoad> ReadDetailsAsync(Guid tokenId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var actor = await ResolveAsync(scope.ServiceProvider, cancellationToken);
        if (actor is null)
        {
            return new(SignedOut: true, null);
        }
        var usage = await scope.ServiceProvider.GetRequiredService<TokenReader>().ReadUsageAsync(actor.Actor, tokenId, cancellationToken);
        var row = usage.Succeeded
            ? await scope.ServiceProvider.GetRequiredService<TokenListReader>().FindAsync(tokenId, ownerId: null, cancellationToken)
            : null;
        if (row is null)
        {
            return new(SignedOut: false, null);
        }
        var own = row.Token.OwnerId == actor.User.Id;
        return new(SignedOut: false, new TokenDetailsView(actor, own ? row with { OwnerEmail = null } : row, usage.Value!, Now));
    }

    /// <summary>Each API's maximum lifetime under its token policy, for the Generate dialog to show before the user picks.</summary>
    [Performs()]
    public async Task<IReadOnlyDictionary<ApiType, int>> MaxLifetimeByApiAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var policies = scope.ServiceProvider.GetRequiredService<Domain.Policies.TokenPolicies>();
        var result = new Dictionary<ApiType, int>();
        foreach (var api in ApiTypes.All)
        {
            result[api] = await policies.MaxLifetimeDaysAsync(api, cancellationToken);
        }
        return result;
    }

    /// <summary>The domain's checks on the fields typed so far, without touching the step-up code.</summary>
    [Performs("tokens.issue")]
    public async Task<IReadOnlyDictionary<string, string>> ValidateAsync(GenerateTokenInput input, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var actor = await ResolveAsync(scope.ServiceProvider, cancellationToken);
        if (actor is null)
        {
            return new Dictionary<string, string> { [GenerateTokenHandler.FormField] = SignedOutMessage };
        }
        return await scope.ServiceProvider.GetRequiredService<GenerateTokenHandler>().ValidateAsync(actor.Actor, input, cancellationToken);
    }

    [Performs("tokens.issue")]
    public async Task<GenerateTokenOutcome> GenerateAsync(GenerateTokenInput input, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var actor = await ResolveAsync(scope.ServiceProvider, cancellationToken);
        if (actor is null)
        {
            return new(null, null, new Dictionary<string, string> { [GenerateTokenHandler.FormField] = SignedOutMessage });
        }
        return await scope.ServiceProvider.GetRequiredService<GenerateTokenHandler>().HandleAsync(actor.Actor, input, cancellationToken);
    }

    /// <summary>Rotates a token (the rotator checks ownership, or the revoke-all permission and rank) after the step-up code.</summary>
    [Performs("tokens.rotate")]
    public async Task<RotateTokenOutcome> RotateAsync(Guid tokenId, int overlapMinutes, StepUpAnswer? stepUp, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var actor = await ResolveAsync(scope.ServiceProvider, cancellationToken);
        if (actor is null)
        {
            return new(null, null, null, new Dictionary<string, string> { [RotateTokenHandler.FormField] = SignedOutMessage });
        }
        return await scope.ServiceProvider.GetRequiredService<RotateTokenHandler>()
            .HandleAsync(actor.Actor, tokenId, overlapMinutes, stepUp, cancellationToken);
    }

    /// <summary>
    /// Replaces a token's allowed client addresses (the editor checks ownership, or the revoke-all
    /// permission and rank); <paramref name="stepUp"/> (a code or a passkey's proof) is needed when the list grows or goes.
    /// </summary>
    [Performs("tokens.set-allowed-addresses")]
    public async Task<AllowedAddressesSaveOutcome> SetAllowedAddressesAsync(Guid tokenId, string? typed, StepUpAnswer? stepUp = null,
        CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var actor = await ResolveAsync(scope.ServiceProvider, cancellationToken);
        if (actor is null)
        {
            return new(null, SignedOutMessage);
        }
        return await scope.ServiceProvider.GetRequiredService<RotateTokenHandler>()
            .SetAllowedAddressesAsync(actor.Actor, tokenId, typed, stepUp, cancellationToken);
    }

    /// <summary>Revokes one token if <paramref name="typed"/> is "yes"; the revoker checks ownership or the revoke-all permission.</summary>
    [Performs("tokens.revoke")]
    public async Task<DeletionOutcome> DeleteAsync(Guid tokenId, string tokenName, string? typed, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var actor = await ResolveAsync(scope.ServiceProvider, cancellationToken);
        if (actor is null)
        {
            return new(false, TokenTexts.Localizer[SignedOutMessage]);
        }
        return await scope.ServiceProvider.GetRequiredService<TokenDeletion>()
            .DeleteAsync(actor.Actor, tokenId, tokenName, typed, cancellationToken);
    }

    [Performs("tokens.revoke-own-all")]
    public async Task<DeletionOutcome> DeleteAllAsync(string? typed, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var actor = await ResolveAsync(scope.ServiceProvider, cancellationToken);
        if (actor is null)
        {
            return new(false, TokenTexts.Localizer[SignedOutMessage]);
        }
        return await scope.ServiceProvider.GetRequiredService<TokenDeletion>()
            .DeleteAllAsync(actor.Actor, typed, cancellationToken);
    }

    private async Task<TokenScreenActor?> ResolveAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var principal = (await authentication.GetAuthenticationStateAsync()).User;
        // The check the cookie gets on every request and the circuit on every revalidation, made
        // again now: the revalidation interval is no grace period for an action.
        if (!PanelClaims.IsEnrolled(principal) || !await PanelRevalidatingAuthenticationStateProvider.IsStillValidAsync(services, principal))
        {
            return null;
        }
        var user = await services.GetRequiredService<UserManager<PanelUser>>().GetUserAsync(principal);
        if (user is null || user.IsDisabled)
        {
            return null;
        }
        var permissions = await services.GetRequiredService<PermissionResolver>().GetPermissionsAsync(user.Id, cancellationToken);
        var settings = await services.GetRequiredService<SettingsStore>().GetAsync(cancellationToken);
        return new TokenScreenActor(user, permissions, settings);
    }
}

/// <summary>
/// One page of the list as the actor may see it, read at <paramref name="Now"/>, with what they may
/// do there: plain data (no user object, no secret hash), so the prerendered page can hand it to its circuit.
/// </summary>
public sealed record TokenListView(string UserId, bool CanReadAll, bool CanRevokeAll, TokenPage Page, int LiveCount, DateTime Now);

/// <summary>A token's details page: <paramref name="View"/> is null when the token is not there for this actor.</summary>
public sealed record TokenDetailsLoad(bool SignedOut, TokenDetailsView? View);

/// <summary>A token as its details page shows it; <c>Row.OwnerEmail</c> is set only for someone else's token.</summary>
public sealed record TokenDetailsView(TokenScreenActor Actor, TokenRow Row, TokenUsageReport Usage, DateTime Now);

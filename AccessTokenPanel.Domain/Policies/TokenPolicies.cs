using System.Globalization;
using System.Linq.Expressions;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace AccessTokenPanel.Domain.Policies;

/// <summary>
/// The token policy of each API: read, changed (<see cref="Operations.ChangeSettings"/>, audited),
/// and applied to the tokens that exist (<see cref="Operations.EnforceTokenPolicy"/>). A stricter
/// policy binds new tokens at once; existing tokens over it are listed, and brought into it only
/// by someone who confirms.
/// </summary>
public sealed class TokenPolicies(
    PanelDbContext db,
    SettingsStore settings,
    OperationGuard guard,
    AuditLog audit,
    TokenRevoker revoker,
    TimeProvider time)
{
    /// <summary>The policy of every API, defaults where none was saved.</summary>
    public async Task<IReadOnlyDictionary<ApiType, TokenPolicy>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        var saved = await db.TokenPolicies.AsNoTracking().ToListAsync(cancellationToken);
        return ApiTypes.All.ToDictionary(api => api, api => saved.FirstOrDefault(p => p.ApiType == api) ?? TokenPolicy.DefaultFor(api));
    }

    public async Task<TokenPolicy> GetAsync(ApiType api, CancellationToken cancellationToken = default) =>
        await db.TokenPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.ApiType == api, cancellationToken) ?? TokenPolicy.DefaultFor(api);

    /// <summary>The longest lifetime a new token of <paramref name="api"/> may have: the API's own bound, else the settings' one.</summary>
    public async Task<int> MaxLifetimeDaysAsync(ApiType api, CancellationToken cancellationToken = default) =>
        (await GetAsync(api, cancellationToken)).MaxLifetimeDays ?? (await settings.GetAsync(cancellationToken)).MaxLifetimeDays;

    /// <summary><see cref="Operations.ReadSettings"/>: every API's policy.</summary>
    public async Task<Result<IReadOnlyDictionary<ApiType, TokenPolicy>>> ReadAsync(Actor actor, CancellationToken cancellationToken = default) =>
        await guard.AuthorizeAsync(actor, Operations.ReadSettings, cancellationToken: cancellationToken) is { } refused
            ? refused
            : Result<IReadOnlyDictionary<ApiType, TokenPolicy>>.Ok(await GetAllAsync(cancellationToken));

    /// <summary>The change's errors, without saving.</summary>
    public static IReadOnlyList<DomainError> Validate(TokenPolicyChange change)
    {
        var errors = new List<DomainError>();
        if (!Enum.IsDefined(change.ApiType))
        {
            errors.Add(new(TokenErrorCodes.ApiUnknown, TokenFields.Api, "Choose Configuration API, SCIM API or REST API."));
        }
        if (change.MaxLifetimeDays is { } max && (max < 1 || max > PanelSettings.MaxLifetimeDaysLimit))
        {
            errors.Add(new(TokenPolicyErrorCodes.MaxLifetimeOutOfRange, TokenPolicyFields.MaxLifetimeDays,
                $"The maximum lifetime must be between 1 and {PanelSettings.MaxLifetimeDaysLimit} days, or empty for the general maximum."));
        }
        if (change.CreatorRoles?.FirstOrDefault(r => PanelRoles.Find(r) is null) is { } unknown)
        {
            errors.Add(new(TokenErrorCodes.RoleUnknown, TokenPolicyFields.CreatorRoles, $"There is no role named '{unknown}'."));
        }
        if (change.IdleRevocationDays is { } idle && (idle < TokenPolicy.IdleDaysMin || idle > TokenPolicy.IdleDaysMax))
        {
            errors.Add(new(TokenPolicyErrorCodes.IdleDaysOutOfRange, TokenPolicyFields.IdleRevocationDays,
                $"Unused tokens can be revoked after {TokenPolicy.IdleDaysMin} to {TokenPolicy.IdleDaysMax} days, or never (empty)."));
        }
        if (!string.IsNullOrEmpty(change.ApprovalRole) && PanelRoles.Find(change.ApprovalRole) is null)
        {
            errors.Add(new(TokenErrorCodes.RoleUnknown, TokenPolicyFields.ApprovalRole, $"There is no role named '{change.ApprovalRole}'."));
        }
        return errors;
    }

    /// <summary><see cref="Operations.ChangeSettings"/>: replaces one API's policy; one audit entry names what changed.</summary>
    public async Task<Result<TokenPolicy>> SaveAsync(Actor actor, TokenPolicyChange change, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.ChangeSettings, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        if (Validate(change) is { Count: > 0 } errors)
        {
            return Result<TokenPolicy>.Fail(errors);
        }
        var policy = await db.TokenPolicies.SingleOrDefaultAsync(p => p.ApiType == change.ApiType, cancellationToken);
        var isNew = policy is null;
        policy ??= TokenPolicy.DefaultFor(change.ApiType);
        var before = Describe(policy);
        policy.MaxLifetimeDays = change.MaxLifetimeDays;
        policy.CreatorRoles = change.CreatorRoles is null ? null : string.Join(",", change.CreatorRoles.Select(r => PanelRoles.Find(r)!.Name).Distinct());
        policy.ServiceAccountTokens = change.ServiceAccountTokens;
        policy.AddressesRequired = change.AddressesRequired;
        policy.IdleRevocationDays = change.IdleRevocationDays;
        policy.ApprovalRole = string.IsNullOrEmpty(change.ApprovalRole) ? null : PanelRoles.Find(change.ApprovalRole)!.Name;
        policy.ApprovalForServiceAccounts = change.ApprovalForServiceAccounts;
        var after = Describe(policy);
        if (before == after && !isNew)
        {
            return Result<TokenPolicy>.Ok(policy);
        }
        policy.UpdatedAt = time.GetUtcNow().UtcDateTime;
        if (isNew)
        {
            db.TokenPolicies.Add(policy);
        }
        audit.Record(actor.UserId, AuditActions.TokenPolicyChanged, "token-policy", change.ApiType.ToString(),
            $"{change.ApiType.DisplayName()} token policy: {before} -> {after}, {actor.Via}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (isNew)
        {
            // Someone saved this API's first policy at the same moment: theirs stands; save ours over it.
            db.ChangeTracker.Clear();
            return await SaveAsync(actor, change, cancellationToken);
        }
        return Result<TokenPolicy>.Ok(policy);
    }

    /// <summary>
    /// How much longer than its policy's bound a token may live before it counts as over: a second,
    /// so that a token made with exactly the longest lifetime allowed is never over by the ticks
    /// between two clock readings, and so that SQL (whose date arithmetic is exact to the
    /// microsecond on PostgreSQL, to about 50 µs on SQLite) and .NET agree on every token.
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    /// <summary>The live long-lived tokens that the policy of their API would not allow today.</summary>
    public async Task<IReadOnlyList<OverPolicyToken>> ListOverPolicyAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var general = (await settings.GetAsync(cancellationToken)).MaxLifetimeDays;
        var all = await GetAllAsync(cancellationToken);
        // The database picks them (one pass, the same test as the count); the reason is told here.
        var over = await LiveLongLived(now).Where(OverPolicyTest(all, general))
            .Select(t => new { t.Id, t.OwnerId, t.Name, t.ApiType, t.Hint, t.CreatedAt, t.ExpiresAt, t.AllowedAddresses })
            .ToListAsync(cancellationToken);
        return over.Select(t =>
            {
                var policy = all[t.ApiType];
                var max = policy.MaxLifetimeDays ?? general;
                var bound = t.CreatedAt.AddDays(max);
                return policy.AddressesRequired && t.AllowedAddresses is null
                    ? new OverPolicyToken(t.Id, t.OwnerId, t.Name, t.ApiType, t.Hint, t.CreatedAt, t.ExpiresAt, null,
                        OverPolicyReason.AddressesRequired, max)
                    : new OverPolicyToken(t.Id, t.OwnerId, t.Name, t.ApiType, t.Hint, t.CreatedAt, t.ExpiresAt, bound > now ? bound : null,
                        OverPolicyReason.LivesTooLong, max);
            })
            .OrderBy(t => t.ExpiresAt).ToList();
    }

    /// <summary>How many tokens <see cref="ListOverPolicyAsync"/> lists, counted by the database (the Overview's figure).</summary>
    public async Task<int> CountOverPolicyAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await LiveLongLived(now).CountAsync(await OverPolicyTestAsync(cancellationToken), cancellationToken);
    }

    /// <summary>
    /// "Over its API's policy" for a live long-lived token, as a condition the database evaluates
    /// in the same pass as other figures (the Overview counts it beside the estate's numbers): no
    /// allowed addresses where the policy requires them, or a lifetime longer than the policy's
    /// bound (its own maximum, else the general one) by more than <see cref="Margin"/>.
    /// </summary>
    public async Task<Expression<Func<AccessToken, bool>>> OverPolicyTestAsync(CancellationToken cancellationToken = default) =>
        OverPolicyTest(await GetAllAsync(cancellationToken), (await settings.GetAsync(cancellationToken)).MaxLifetimeDays);

    private IQueryable<AccessToken> LiveLongLived(DateTime now) =>
        db.AccessTokens.AsNoTracking().Where(t => t.Kind == TokenKind.Standard && t.RevokedAt == null && t.ExpiresAt > now);

    private static Expression<Func<AccessToken, bool>> OverPolicyTest(IReadOnlyDictionary<ApiType, TokenPolicy> policies, int general)
    {
        var token = Expression.Parameter(typeof(AccessToken), "t");
        Expression Body(Expression<Func<AccessToken, bool>> test) => ReplacingExpressionVisitor.Replace(test.Parameters[0], token, test.Body);

        Expression? anyApi = null;
        foreach (var policy in policies.Values)
        {
            var api = policy.ApiType;
            var limitDays = (policy.MaxLifetimeDays ?? general) + Margin.TotalDays;
            // The lifetime the database keeps beside the dates (the same days as DaysBetween), not
            // computed from them per row: the Overview counts this over every live token.
            var over = Body(t => EF.Property<double>(t, PanelDbContext.LifetimeDays) > limitDays);
            if (policy.AddressesRequired)
            {
                over = Expression.OrElse(Body(t => t.AllowedAddresses == null), over);
            }
            var ofApi = Expression.AndAlso(Body(t => t.ApiType == api), over);
            anyApi = anyApi is null ? ofApi : Expression.OrElse(anyApi, ofApi);
        }
        // Rotated tokens are on their way out (their grace period): no policy applies to them.
        var test = Expression.AndAlso(Body(t => t.RotatedAt == null), anyApi ?? Expression.Constant(false));
        return Expression.Lambda<Func<AccessToken, bool>>(test, token);
    }

    /// <summary>
    /// <see cref="Operations.EnforceTokenPolicy"/>: shortens each over-policy token to the policy's
    /// bound (from its creation), or revokes it when that bound has passed or it lacks the required
    /// addresses. Each change is a conditional update on the token as listed, so a token changed
    /// meanwhile (rotated, revoked, shortened by someone else) is left alone.
    /// </summary>
    public async Task<Result<PolicyEnforcement>> EnforceAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.EnforceTokenPolicy, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        var over = await ListOverPolicyAsync(cancellationToken);
        var shortened = 0;
        foreach (var token in over.Where(t => !t.WillBeRevoked))
        {
            var bound = token.ShortenedTo!.Value;
            var updated = await db.AccessTokens
                .Where(t => t.Id == token.Id && t.RevokedAt == null && t.ExpiresAt == token.ExpiresAt)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, bound), cancellationToken);
            if (updated == 1)
            {
                shortened++;
                audit.Record(actor.UserId, AuditActions.TokenShortened, "token", token.Id.ToString(),
                    $"{token.ApiType.DisplayName()} token '{token.Name}' ({token.Hint}) of user {token.OwnerId}: expiry {token.ExpiresAt:u} -> {bound:u}"
                    + $" to bring it into the token policy, {actor.Via}");
            }
        }
        var revoked = await revoker.RevokeManyAsync(over.Where(t => t.WillBeRevoked).Select(t => t.Id).ToList(), actor.UserId,
            $"to bring it into the token policy, {actor.Via}", cancellationToken);
        audit.Record(actor.UserId, AuditActions.TokenPolicyEnforced, "token-policy", null,
            $"{shortened} token(s) shortened and {revoked} revoked to bring them into the token policy, {actor.Via}");
        await db.SaveChangesAsync(cancellationToken);
        return Result<PolicyEnforcement>.Ok(new(shortened, revoked));
    }

    private static string Describe(TokenPolicy p) => string.Join("; ",
        $"maxLifetimeDays {p.MaxLifetimeDays?.ToString(CultureInfo.InvariantCulture) ?? "general"}",
        $"creatorRoles {(p.CreatorRoles is null ? "anyone" : p.CreatorRoles.Length == 0 ? "nobody" : p.CreatorRoles)}",
        $"serviceAccountTokens {p.ServiceAccountTokens}",
        $"addressesRequired {p.AddressesRequired}",
        $"idleRevocationDays {p.IdleRevocationDays?.ToString(CultureInfo.InvariantCulture) ?? "off"}",
        $"approvalRole {p.ApprovalRole ?? "none"}",
        $"approvalForServiceAccounts {p.ApprovalForServiceAccounts}");
}

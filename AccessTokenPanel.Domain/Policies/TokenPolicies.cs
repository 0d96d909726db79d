using System.Globalization;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>The live long-lived tokens that the policy of their API would not allow today.</summary>
    public async Task<IReadOnlyList<OverPolicyToken>> ListOverPolicyAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var general = (await settings.GetAsync(cancellationToken)).MaxLifetimeDays;
        var result = new List<OverPolicyToken>();
        foreach (var policy in (await GetAllAsync(cancellationToken)).Values)
        {
            var max = policy.MaxLifetimeDays ?? general;
            var api = policy.ApiType;
            var live = db.AccessTokens.AsNoTracking()
                .Where(t => t.ApiType == api && t.Kind == TokenKind.Standard && t.RevokedAt == null && t.ExpiresAt > now && t.RotatedAt == null);
            // Lifetimes are compared here, not in SQL: no date arithmetic that reads alike on three providers.
            var candidates = await live
                .Select(t => new { t.Id, t.OwnerId, t.Name, t.Hint, t.CreatedAt, t.ExpiresAt, t.AllowedAddresses })
                .ToListAsync(cancellationToken);
            foreach (var t in candidates)
            {
                var bound = t.CreatedAt.AddDays(max);
                if (policy.AddressesRequired && t.AllowedAddresses is null)
                {
                    result.Add(new(t.Id, t.OwnerId, t.Name, api, t.Hint, t.CreatedAt, t.ExpiresAt, null,
                        OverPolicyReason.AddressesRequired, max));
                }
                else if (t.ExpiresAt > bound)
                {
                    result.Add(new(t.Id, t.OwnerId, t.Name, api, t.Hint, t.CreatedAt, t.ExpiresAt, bound > now ? bound : null,
                        OverPolicyReason.LivesTooLong, max));
                }
            }
        }
        return result.OrderBy(t => t.ExpiresAt).ToList();
    }

    /// <summary>
    /// How many tokens <see cref="ListOverPolicyAsync"/> lists, counted by the database (the
    /// Overview's figure) instead of reading every live token. Date arithmetic in SQL is not alike
    /// to the tick on every provider (SQLite compares its text to the millisecond), so SQL decides
    /// only the tokens a day or more from their bound; those within a day of it are read and
    /// compared here, as the list does.
    /// </summary>
    public async Task<int> CountOverPolicyAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var general = (await settings.GetAsync(cancellationToken)).MaxLifetimeDays;
        var count = 0;
        foreach (var policy in (await GetAllAsync(cancellationToken)).Values)
        {
            var max = policy.MaxLifetimeDays ?? general;
            var api = policy.ApiType;
            var live = db.AccessTokens.AsNoTracking()
                .Where(t => t.ApiType == api && t.Kind == TokenKind.Standard && t.RevokedAt == null && t.ExpiresAt > now && t.RotatedAt == null);
            if (policy.AddressesRequired)
            {
                count += await live.CountAsync(t => t.AllowedAddresses == null, cancellationToken);
                live = live.Where(t => t.AllowedAddresses != null);
            }
            double dayAfter = max + 1, dayBefore = max - 1;
            count += await live.CountAsync(t => t.ExpiresAt > t.CreatedAt.AddDays(dayAfter), cancellationToken);
            var near = await live.Where(t => t.ExpiresAt > t.CreatedAt.AddDays(dayBefore) && t.ExpiresAt <= t.CreatedAt.AddDays(dayAfter))
                .Select(t => new { t.CreatedAt, t.ExpiresAt }).ToListAsync(cancellationToken);
            count += near.Count(t => t.ExpiresAt > t.CreatedAt.AddDays(max));
        }
        return count;
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

using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Components.Pages.Overview;

/// <summary>The signed-in user's own tokens at a glance.</summary>
public sealed record OwnOverview(int Active, int Expired, int Revoked, IReadOnlyList<AccessToken> ExpiringSoon);

public sealed record DayCalls(DateOnly Day, long Calls, long Refusals);

public sealed record TokenCalls(Guid Id, string Name, ApiType ApiType, long Calls);

/// <summary>The whole token estate, for holders of the inventory permission.</summary>
public sealed record EstateOverview(
    IReadOnlyDictionary<ApiType, int> ActiveByApi,
    int ActiveOfPeople,
    int ActiveOfServiceAccounts,
    int Expiring7,
    int Expiring30,
    int NeverUsed,
    int? OverPolicy,
    IReadOnlyList<DayCalls> Days,
    IReadOnlyList<(TokenValidationStatus Reason, long Count)> RefusalsByReason,
    IReadOnlyList<TokenCalls> MostActive,
    int FailedSignIns24Hours,
    DateTime AsOf);

public sealed record OverviewView(OwnOverview Own, EstateOverview? Estate, DateTime Now, bool CanReadAudit);

/// <summary>
/// The Overview's numbers, each one query (counts and sums the database makes, indexed by owner,
/// expiry and day; the calls and refusals per day from the totals the usage flush keeps), read as the signed-in user: their own tokens always, the estate only with the
/// inventory permission (<see cref="Operations.ListAllTokens"/>); the estate's figures as last
/// counted (<see cref="EstateFigures"/>), the user's own always as they are now.
/// </summary>
public sealed class OverviewReader(TokenScreenActions screen, IServiceScopeFactory scopes, TimeProvider time, EstateFigures estateFigures)
{
    public const int Days = 30;

    [Performs("tokens.list-own", "tokens.list-all")]
    public async Task<OverviewView?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var actor = await screen.GetActorAsync(cancellationToken);
        if (actor is null)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var guard = scope.ServiceProvider.GetRequiredService<OperationGuard>();
        var now = time.GetUtcNow().UtcDateTime;
        var userId = actor.User.Id;

        var own = db.AccessTokens.AsNoTracking().Where(t => t.OwnerId == userId && t.Kind == TokenKind.Standard);
        var counts = await own.GroupBy(t => t.RevokedAt != null ? 2 : t.ExpiresAt <= now ? 1 : 0)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var in30 = now.AddDays(30);
        var expiring = await own.Where(t => t.RevokedAt == null && t.ExpiresAt > now && t.ExpiresAt <= in30)
            .OrderBy(t => t.ExpiresAt).Take(10).ToListAsync(cancellationToken);
        var ownOverview = new OwnOverview(Count(counts.Select(c => (c.Status, c.Count)), 0), Count(counts.Select(c => (c.Status, c.Count)), 1),
            Count(counts.Select(c => (c.Status, c.Count)), 2), expiring);

        var estate = await guard.AuthorizeAsync(actor.Actor, Operations.ListAllTokens, cancellationToken: cancellationToken) is null
            ? await estateFigures.GetAsync(CountEstateAsync, cancellationToken)
            : null;
        var canReadAudit = await guard.AuthorizeAsync(actor.Actor, Operations.ReadAudit, cancellationToken: cancellationToken) is null;
        return new OverviewView(ownOverview, estate, now, canReadAudit);
    }

    private static int Count(IEnumerable<(int Status, int Count)> counts, int status) => counts.Where(c => c.Status == status).Sum(c => c.Count);

    /// <summary>
    /// Counts the estate's figures now: four independent reads (the live tokens, the daily calls and
    /// refusals, the most active tokens, the failed sign-ins), each on its own pooled context and
    /// connection, run at the same time, so the count waits for the slowest instead of their sum.
    /// Runs on scopes of its own and is not cancelled with a view: <see cref="EstateFigures"/> keeps
    /// its result for the views after it. Checks no permission: internal, called by
    /// <see cref="ReadAsync"/> once it has (and by the bench).
    /// </summary>
    internal async Task<EstateOverview> CountEstateAsync()
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var policies = scope.ServiceProvider.GetRequiredService<TokenPolicies>();
        var in7 = now.AddDays(7);
        var in30 = now.AddDays(30);
        var today = DateOnly.FromDateTime(now);
        var from = today.AddDays(-(Days - 1));
        var since = now.AddHours(-24);
        // Over the policy: only counted when some API has a policy that can leave tokens over it.
        var saved = await db.TokenPolicies.AsNoTracking().AnyAsync(p => p.MaxLifetimeDays != null || p.AddressesRequired);
        var overPolicy = saved ? await policies.OverPolicyTestAsync() : (t => false);

        // One pass over the live tokens for every count of them, each figure a conditional count in
        // one group: by Kind, which the filter makes one value, so the database neither sorts nor
        // builds a tree of the rows (as it did grouping by API, and as it does for the GROUP BY of a
        // constant that EF Core writes for GroupBy(t => 0)). The service accounts are few: a set
        // the database builds once instead of a join per token.
        var liveRead = ReadApartAsync(async other =>
        {
            var live = other.AccessTokens.AsNoTracking().Where(t => t.Kind == TokenKind.Standard && t.RevokedAt == null && t.ExpiresAt > now);
            var serviceAccounts = other.Users.Where(u => u.IsServiceAccount).Select(u => u.Id);
            return await live.GroupBy(t => t.Kind).Select(g => new LiveCounts(
                    g.Count(x => x.ApiType == ApiType.Configuration),
                    g.Count(x => x.ApiType == ApiType.Scim),
                    g.Count(x => x.ApiType == ApiType.Rest),
                    g.Count(x => serviceAccounts.Contains(x.OwnerId)),
                    g.Count(x => x.ExpiresAt <= in7),
                    g.Count(x => x.ExpiresAt <= in30),
                    g.Count(x => x.LastUsedAt == null),
                    g.AsQueryable().Count(overPolicy)))
                .FirstOrDefaultAsync() ?? new LiveCounts(0, 0, 0, 0, 0, 0, 0, 0);
        });
        var daysRead = ReadApartAsync(async other =>
        {
            // The flush keeps these totals beside the per-token rows: a row per day (and reason).
            var calls = await other.TokenDailyTotals.AsNoTracking().Where(t => t.Day >= from)
                .Select(t => new { t.Day, Calls = t.Requests }).ToListAsync();
            var refusals = await other.TokenDailyRefusalTotals.AsNoTracking().Where(t => t.Day >= from)
                .Select(t => new { t.Day, t.Reason, t.Count }).ToListAsync();
            var days = Enumerable.Range(0, Days).Select(i => from.AddDays(i))
                .Select(day => new DayCalls(day, calls.Where(c => c.Day == day).Sum(c => c.Calls), refusals.Where(r => r.Day == day).Sum(r => r.Count)))
                .ToList();
            var byReason = refusals.GroupBy(r => r.Reason).Select(g => (g.Key, g.Sum(r => r.Count))).OrderByDescending(r => r.Item2).ToList();
            return (days, byReason);
        });
        var mostActiveRead = ReadApartAsync(async other =>
        {
            var top = await other.TokenDailyUsage.AsNoTracking().Where(u => u.Day >= from)
                .GroupBy(u => u.TokenId).Select(g => new { TokenId = g.Key, Calls = g.Sum(u => u.Requests) })
                .OrderByDescending(g => g.Calls).Take(5).ToListAsync();
            var topIds = top.Select(t => t.TokenId).ToList();
            var names = await other.AccessTokens.AsNoTracking().Where(t => topIds.Contains(t.Id))
                .Select(t => new { t.Id, t.Name, t.ApiType }).ToListAsync();
            return top.Join(names, t => t.TokenId, n => n.Id, (t, n) => new TokenCalls(n.Id, n.Name, n.ApiType, t.Calls)).ToList();
        });
        var failedSignInsRead = ReadApartAsync(other => other.AuditEntries.AsNoTracking()
            .CountAsync(e => e.Action == AuditActions.SignInFailed && e.OccurredAt > since));

        // All four end (or fail) before the page goes on: none is left running on its own.
        await Task.WhenAll(liveRead, daysRead, mostActiveRead, failedSignInsRead);
        var live = await liveRead;
        var (days, byReason) = await daysRead;
        var mostActive = await mostActiveRead;
        var failedSignIns = await failedSignInsRead;
        return new EstateOverview(
            ApiTypes.All.ToDictionary(api => api, api => api switch
            {
                ApiType.Configuration => live.Configuration,
                ApiType.Scim => live.Scim,
                ApiType.Rest => live.Rest,
                _ => throw new InvalidOperationException($"The Overview does not count {api} tokens."),
            }),
            live.Configuration + live.Scim + live.Rest - live.OfServiceAccounts, live.OfServiceAccounts,
            live.Expiring7, live.Expiring30, live.NeverUsed, saved ? live.OverPolicy : null,
            days, byReason, mostActive, failedSignIns, now);
    }

    private sealed record LiveCounts(int Configuration, int Scim, int Rest, int OfServiceAccounts, int Expiring7, int Expiring30, int NeverUsed, int OverPolicy);

    /// <summary>
    /// One read on a context of its own (a context runs one command at a time), on the thread pool:
    /// under a circuit's synchronization context, and with SQLite's synchronous "async" commands,
    /// it would otherwise wait for the others.
    /// </summary>
    private Task<T> ReadApartAsync<T>(Func<PanelDbContext, Task<T>> read) =>
        Task.Run(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await read(scope.ServiceProvider.GetRequiredService<PanelDbContext>());
        });
}

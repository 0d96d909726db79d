using System.Diagnostics;
using System.Security.Claims;
using System.Security.Cryptography;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Components.Account;
using AccessTokenPanel.Web.Components.Pages.Overview;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Bench;

/// <summary>
/// Server time per page with 100,000 tokens (or ATP_BENCH_TOKENS), 2,000 users (or ATP_BENCH_USERS) and 100,000 audit entries: the access
/// tokens page's reader (own tokens and the inventory), the query of GET /api/v1/tokens, and the
/// audit log's keyset pages, and the Overview as an inventory holder (with 30 days of usage history
/// for 3,000 tokens and a REST policy that leaves tokens over it). Each case runs 5 times to warm up,
/// then 40 times timed.
/// </summary>
internal static class ListBenchmarks
{
    // ATP_BENCH_TOKENS=1000000 ATP_BENCH_USERS=10000: issue 22's million tokens. Up to 100,000 are
    // seeded through EF Core; more are copies of those made in SQL (ScaleMeasures.CopyTokensAsync).
    private static readonly int Users = FromEnvironment("ATP_BENCH_USERS", 2_000);
    private static readonly int Tokens = FromEnvironment("ATP_BENCH_TOKENS", 100_000);
    private static readonly int SeededTokens = Math.Min(Tokens, 100_000);
    private const int AuditEntries = 100_000;
    private const int Runs = 40;
    private const int TokensWithUsage = 3_000;

    public static async Task<int> RunAsync(string provider, string? connection)
    {
        await using var app = new BenchApp(provider, connection);
        _ = app.Services;
        var now = DateTime.UtcNow;
        var sw = Stopwatch.StartNew();
        var (someOwner, someEmail, middle) = await SeedAsync(app.Services, now);
        var inventoryHolder = await SeedInventoryHolderAsync(app.Services, now);
        Console.WriteLine($"seeded {Users} users, {Tokens} tokens, {AuditEntries} audit entries, {TokensWithUsage} tokens' usage on {provider} in {sw.Elapsed.TotalSeconds:F1} s");

        var cases = new (string Name, Func<IServiceProvider, Task<int>> Run)[]
        {
            ("tokens page: own tokens, page 1", sp => Read(sp, TokenListState.From(null, null, null, null, 1, null), someOwner, now)),
            ("inventory: page 1, newest first", sp => Read(sp, TokenListState.From(null, null, null, null, 1, null), null, now)),
            ("inventory: page 50 (the last one paged), newest first", sp => Read(sp, TokenListState.From(null, null, null, null, 50, null), null, now)),
            ("inventory: active REST, page 1", sp => Read(sp, TokenListState.From("active", "rest", null, null, 1, null), null, now)),
            ("inventory: owner filter", sp => Read(sp, TokenListState.From(null, null, null, null, 1, someEmail), null, now)),
            ("GET /api/v1/tokens (query)", async sp =>
            {
                var db = sp.GetRequiredService<PanelDbContext>();
                return (await db.AccessTokens.AsNoTracking().Where(t => t.OwnerId == someOwner)
                    .OrderByDescending(t => t.CreatedAt).ToListAsync()).Count;
            }),
            ("audit: newest page", async sp => (await sp.GetRequiredService<AuditLogReader>().ReadAsync(null, null, null)).Rows.Count),
            ("audit: page from the middle (keyset)", async sp => (await sp.GetRequiredService<AuditLogReader>().ReadAsync(null, middle, null)).Rows.Count),
            ("audit: action filter, page 1", async sp => (await sp.GetRequiredService<AuditLogReader>().ReadAsync(AuditActions.TokenRevoked, null, null)).Rows.Count),
            // As a circuit runs it: the signed-in inventory holder re-checked, then every figure.
            ("overview: inventory holder (estate)", async sp =>
            {
                ((IHostEnvironmentAuthenticationStateProvider)sp.GetRequiredService<AuthenticationStateProvider>())
                    .SetAuthenticationState(Task.FromResult(new AuthenticationState(inventoryHolder)));
                var view = await sp.GetRequiredService<OverviewReader>().ReadAsync()
                    ?? throw new InvalidOperationException("The inventory holder was refused the Overview.");
                return view.Estate is { OverPolicy: > 0 } estate ? estate.ActiveByApi.Values.Sum() : throw new InvalidOperationException("No estate figures.");
            }),
        };

        // ATP_BENCH_CASES=overview times only the cases whose name contains it (while working on one page).
        var only = Environment.GetEnvironmentVariable("ATP_BENCH_CASES");
        var worstP99 = 0.0;
        Console.WriteLine($"| list page ({provider}) | rows | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, run) in cases.Where(c => string.IsNullOrEmpty(only) || c.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            var times = new List<double>();
            var rows = 0;
            for (var i = 0; i < 5 + Runs; i++)
            {
                await using var scope = app.Services.CreateAsyncScope();
                var started = Stopwatch.GetTimestamp();
                rows = await run(scope.ServiceProvider);
                if (i >= 5)
                {
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            times.Sort();
            var p50 = times[times.Count / 2];
            var p99 = times[(int)Math.Ceiling(times.Count * 0.99) - 1];
            worstP99 = Math.Max(worstP99, p99);
            Console.WriteLine($"| {name} | {rows} | {p50:F2} | {p99:F2} |");
        }
        Console.WriteLine($"LIST_P99_MS={worstP99:F2}");
        await ScaleMeasures.RunAsync(app, someOwner, Tokens);
        return 0;
    }

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    private static async Task<int> Read(IServiceProvider services, TokenListState state, string? ownerId, DateTime now) =>
        (await services.GetRequiredService<TokenListReader>().ReadAsync(state, ownerId, now)).Rows.Count;

    private static async Task<(string Owner, string Email, AuditCursor Middle)> SeedAsync(IServiceProvider services, DateTime now)
    {
        var users = new List<PanelUser>(Users);
        for (var i = 0; i < Users; i++)
        {
            var email = $"user{i:D4}@example.com";
            users.Add(new PanelUser
            {
                UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                DisplayName = $"User {i}", CreatedAt = now.AddDays(-400), SecurityStamp = Guid.NewGuid().ToString(),
                // One in 20 is a service account (its tokens count apart on the Overview).
                IsServiceAccount = i % 20 == 19,
            });
        }
        await InsertAsync(services, users);

        var apis = ApiTypes.All.ToArray();
        var tokens = new List<AccessToken>(10_000);
        if (Tokens % SeededTokens != 0)
        {
            throw new InvalidOperationException($"ATP_BENCH_TOKENS above {SeededTokens} must be a multiple of it.");
        }
        for (var i = 0; i < SeededTokens; i++)
        {
            var api = apis[i % apis.Length];
            var created = now.AddMinutes(-i * 5);
            tokens.Add(new AccessToken
            {
                Id = Guid.CreateVersion7(), OwnerId = users[i % Users].Id, Name = $"token {i}", ApiType = api,
                DelegatedRole = api == ApiType.Configuration ? "Read Only" : null,
                SecretHash = RandomNumberGenerator.GetBytes(32), Hint = TokenSecret.PrefixOf(api) + "…abcd",
                CreatedAt = created, ExpiresAt = created.AddDays(i % 7 == 0 ? 10 : 365),
                RevokedAt = i % 11 == 0 ? created.AddDays(1) : null,
            });
            if (tokens.Count == 10_000)
            {
                await InsertAsync(services, tokens);
                tokens.Clear();
            }
        }
        await InsertAsync(services, tokens);
        await ScaleMeasures.CopyTokensAsync(services, Tokens / SeededTokens - 1);

        var actions = new[] { AuditActions.TokenCreated, AuditActions.TokenRevoked, AuditActions.SettingsChanged, AuditActions.UserCreated };
        var entries = new List<AuditEntry>(10_000);
        for (var i = 0; i < AuditEntries; i++)
        {
            entries.Add(new AuditEntry
            {
                OccurredAt = now.AddSeconds(-i * 30), ActorId = users[i % Users].Id, Action = actions[i % actions.Length],
                SubjectType = "token", SubjectId = i.ToString(), Details = $"bench entry {i}",
            });
            if (entries.Count == 10_000)
            {
                await InsertAsync(services, entries);
                entries.Clear();
            }
        }
        await InsertAsync(services, entries);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        // Fresh statistics and (PostgreSQL) visibility map, as a live database's autovacuum would have.
        await db.Database.ExecuteSqlRawAsync(db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? "VACUUM ANALYZE" : "ANALYZE");
        var middle = await db.AuditEntries.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Skip(AuditEntries / 2).FirstAsync();
        return (users[7].Id, "user0007", new AuditCursor(middle.OccurredAt, middle.Id));
    }

    /// <summary>
    /// A Super Administrator's principal (as the sign-in cookie carries it), 30 days of calls for
    /// 3,000 tokens (refusals for every tenth) with their daily totals, and a REST policy of 180 days, which the seeded
    /// 365-day tokens exceed.
    /// </summary>
    private static async Task<ClaimsPrincipal> SeedInventoryHolderAsync(IServiceProvider services, DateTime now)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var admin = new PanelUser { UserName = "overview@example.com", Email = "overview@example.com", DisplayName = "Overview", CreatedAt = now };
        Check(await users.CreateAsync(admin, "Correct-Horse-Battery-9"));
        Check(await users.AddToRoleAsync(admin, PanelRoles.SuperAdministrator));
        Check(await users.ResetAuthenticatorKeyAsync(admin));
        Check(await users.SetTwoFactorEnabledAsync(admin, true));
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<PanelUser>>().CreateUserPrincipalAsync(admin);
        if (!PanelClaims.IsEnrolled(principal))
        {
            throw new InvalidOperationException("The overview user's principal does not say it is enrolled.");
        }

        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var ids = await db.AccessTokens.AsNoTracking().OrderBy(t => t.CreatedAt).Select(t => t.Id).Take(TokensWithUsage).ToListAsync();
        var today = DateOnly.FromDateTime(now);
        var usage = new List<TokenDailyUsage>(10_000);
        var refusals = new List<TokenDailyRefusals>();
        for (var i = 0; i < ids.Count; i++)
        {
            for (var day = 0; day < OverviewReader.Days; day++)
            {
                usage.Add(new TokenDailyUsage { TokenId = ids[i], Day = today.AddDays(-day), Requests = 1 + (i * 7 + day) % 500 });
                if (i % 10 == 0)
                {
                    refusals.Add(new TokenDailyRefusals { TokenId = ids[i], Day = today.AddDays(-day), Reason = TokenValidationStatus.Revoked, Count = 1 + day % 3 });
                }
                if (usage.Count == 10_000)
                {
                    await InsertAsync(services, usage);
                    usage.Clear();
                }
            }
        }
        await InsertAsync(services, usage);
        await InsertAsync(services, refusals);
        // The totals the usage flush keeps beside the per-token rows, summed as the migration does.
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"TokenDailyTotals\" (\"Day\", \"Requests\") SELECT \"Day\", SUM(\"Requests\") FROM \"TokenDailyUsage\" GROUP BY \"Day\"");
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"TokenDailyRefusalTotals\" (\"Day\", \"Reason\", \"Count\") SELECT \"Day\", \"Reason\", SUM(\"Count\") FROM \"TokenDailyRefusals\" GROUP BY \"Day\", \"Reason\"");
        await InsertAsync(services, new[] { new TokenPolicy { ApiType = ApiType.Rest, MaxLifetimeDays = 180, UpdatedAt = now } });
        await db.Database.ExecuteSqlRawAsync(db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? "VACUUM ANALYZE" : "ANALYZE");
        return principal;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    private static async Task InsertAsync<T>(IServiceProvider services, IEnumerable<T> rows) where T : class
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Set<T>().AddRange(rows);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }
}

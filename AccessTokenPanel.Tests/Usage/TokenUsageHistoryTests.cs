using System.Data.Common;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AccessTokenPanel.Tests.Usage;

/// <summary>
/// The stored usage history on a real database: counts from the in-memory counter, written by
/// flushes, added to what is there, cut at UTC midnight, pruned after 90 days, and exact when
/// several instances (each with its own counter and context) flush at once; the daily totals
/// over every token kept beside them always the sums of the per-token rows.
/// </summary>
public class TokenUsageHistoryTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _db;

    public TokenUsageHistoryTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same cases on another provider (see Persistence/PostgreSqlSuites.cs).</summary>
    protected TokenUsageHistoryTests(DatabaseProvider provider) => _db = new(provider);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private DateTime Now => _db.Time.GetUtcNow().UtcDateTime;

    private async Task FlushAsync(TokenUsageCounts counts)
    {
        await using var scope = _db.Scope();
        await scope.ServiceProvider.GetRequiredService<TokenUsageHistory>().WriteAsync(counts.Drain());
    }

    private async Task<TokenUsageReport> ReadAsync(Guid tokenId)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<TokenUsageHistory>().ReadAsync(tokenId);
    }

    private static long On(TokenUsageReport report, DateTime day) =>
        report.Days.Single(d => d.Day == DateOnly.FromDateTime(day)).Requests;

    [Fact]
    public async Task FlushedCountsAddToTheStoredOnesAndSurviveAReopen()
    {
        var counts = new TokenUsageCounts();
        var token = Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            counts.CountUse(token, Now, "10.0.0.1");
        }
        await FlushAsync(counts);
        counts.CountUse(token, Now, "10.0.0.1");
        counts.CountUse(token, Now, "10.0.0.1");
        await FlushAsync(counts);
        await _db.ReopenAsync();

        var report = await ReadAsync(token);
        Assert.Equal(5, On(report, Now));
        Assert.Equal(5, report.TotalRequests);
        Assert.Equal(TokenUsageHistory.RetainedDays, report.Days.Count);
        Assert.Equal(DateOnly.FromDateTime(Now), report.To);
        Assert.Equal(DateOnly.FromDateTime(Now).AddDays(-89), report.From);
        Assert.Equal(0, (await ReadAsync(Guid.NewGuid())).TotalRequests);
    }

    [Fact]
    public async Task CallsAreCountedOnTheirUtcDayAcrossMidnight()
    {
        var counts = new TokenUsageCounts();
        var token = Guid.NewGuid();
        _db.Time.SetUtcNow(new DateTimeOffset(2026, 11, 22, 23, 59, 58, TimeSpan.Zero));
        counts.CountUse(token, Now, null);
        counts.CountUse(token, Now, null);
        _db.Time.Advance(TimeSpan.FromSeconds(3));
        counts.CountUse(token, Now, null);
        await FlushAsync(counts);

        var report = await ReadAsync(token);
        Assert.Equal(2, report.Days.Single(d => d.Day == new DateOnly(2026, 11, 22)).Requests);
        Assert.Equal(1, report.Days.Single(d => d.Day == new DateOnly(2026, 11, 23)).Requests);
        Assert.Equal(new DateOnly(2026, 11, 23), report.To);
    }

    [Fact]
    public async Task SeveralInstancesFlushingAtOnceLoseNoCount()
    {
        var tokens = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        const int instances = 4;
        const int rounds = 5;
        // Each instance counts the same tokens and days, so their rows collide: the first flush
        // of each key races to insert it.
        var flushes = Enumerable.Range(0, instances).Select(async _ =>
        {
            var counts = new TokenUsageCounts();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var token in tokens)
                {
                    counts.CountUse(token, Now, "10.0.0.9");
                    counts.CountUse(token, Now.AddDays(-1), "10.0.0.9");
                    counts.CountRefusal(token, TokenValidationStatus.Revoked, Now);
                }
                await Task.Yield();
                await FlushAsync(counts);
            }
        });
        await Task.WhenAll(flushes);

        foreach (var token in tokens)
        {
            var report = await ReadAsync(token);
            Assert.Equal(instances * rounds, On(report, Now));
            Assert.Equal(instances * rounds, On(report, Now.AddDays(-1)));
            Assert.Equal(new RefusalTotal(TokenValidationStatus.Revoked, instances * rounds), Assert.Single(report.Refusals));
            Assert.Equal("10.0.0.9", Assert.Single(report.RecentAddresses).Address);
        }
    }

    [Fact]
    public async Task DaysOlderThanNinetyArePrunedAtTheNextFlush()
    {
        var counts = new TokenUsageCounts();
        var token = Guid.NewGuid();
        var first = Now;
        counts.CountUse(token, first, "10.0.0.1");
        counts.CountRefusal(token, TokenValidationStatus.Expired, first);
        await FlushAsync(counts);

        _db.Time.Advance(TimeSpan.FromDays(89));
        counts.CountUse(token, Now, null);
        await FlushAsync(counts);
        var stillThere = await ReadAsync(token);
        Assert.Equal(1, On(stillThere, first));
        Assert.Equal(2, stillThere.TotalRequests);

        _db.Time.Advance(TimeSpan.FromDays(1));
        counts.CountUse(token, Now, null);
        await FlushAsync(counts);

        var report = await ReadAsync(token);
        Assert.Equal(2, report.TotalRequests);
        Assert.Empty(report.Refusals);
        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<Domain.Data.PanelDbContext>();
        Assert.DoesNotContain(db.TokenDailyUsage, u => u.Day == DateOnly.FromDateTime(first));
        Assert.Empty(db.TokenDailyRefusals);
        Assert.Empty(db.TokenRecentAddresses);
    }

    [Fact]
    public async Task RefusalsAreCountedPerReason()
    {
        var counts = new TokenUsageCounts();
        var token = Guid.NewGuid();
        counts.CountRefusal(token, TokenValidationStatus.AddressNotAllowed, Now);
        counts.CountRefusal(token, TokenValidationStatus.AddressNotAllowed, Now);
        counts.CountRefusal(token, TokenValidationStatus.Expired, Now);
        await FlushAsync(counts);
        counts.CountRefusal(token, TokenValidationStatus.AddressNotAllowed, Now.AddDays(-3));
        await FlushAsync(counts);

        var report = await ReadAsync(token);
        Assert.Equal(
            [new RefusalTotal(TokenValidationStatus.AddressNotAllowed, 3), new RefusalTotal(TokenValidationStatus.Expired, 1)],
            report.Refusals);
        Assert.Equal(0, report.TotalRequests);
    }

    [Fact]
    public async Task OnlyTheFiveNewestAddressesAreKept()
    {
        var counts = new TokenUsageCounts();
        var token = Guid.NewGuid();
        for (var i = 1; i <= 4; i++)
        {
            counts.CountUse(token, Now, $"10.0.0.{i}");
            _db.Time.Advance(TimeSpan.FromMinutes(1));
        }
        await FlushAsync(counts);
        for (var i = 5; i <= 7; i++)
        {
            counts.CountUse(token, Now, $"10.0.0.{i}");
            _db.Time.Advance(TimeSpan.FromMinutes(1));
        }
        // An old address used again moves back to the front.
        counts.CountUse(token, Now, "10.0.0.1");
        await FlushAsync(counts);

        var report = await ReadAsync(token);
        Assert.Equal(["10.0.0.1", "10.0.0.7", "10.0.0.6", "10.0.0.5", "10.0.0.4"], report.RecentAddresses.Select(a => a.Address));
        Assert.Equal(Now, report.RecentAddresses[0].LastSeenAt);
        await using var scope = _db.Scope();
        Assert.Equal(5, scope.ServiceProvider.GetRequiredService<Domain.Data.PanelDbContext>().TokenRecentAddresses.Count(a => a.TokenId == token));
    }

    [Fact]
    public async Task DailyTotalsAreTheSumsOfThePerTokenRowsThroughConcurrentFlushesAndPruning()
    {
        var tokens = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
        var first = Now;
        var counts = new TokenUsageCounts();
        counts.CountUse(tokens[0], first, null);
        counts.CountRefusal(tokens[0], TokenValidationStatus.Expired, first);
        await FlushAsync(counts);
        _db.Time.Advance(TimeSpan.FromDays(1));

        // Two instances (two counters, two contexts) flushing the same days and tokens at the same
        // moment, three times: their first inserts of a day collide on the totals' key.
        var flushes = Enumerable.Range(0, 2).Select(async instance =>
        {
            var mine = new TokenUsageCounts();
            for (var round = 0; round < 3; round++)
            {
                foreach (var token in tokens)
                {
                    mine.CountUse(token, Now, null);
                    mine.CountUse(token, Now.AddDays(-1), null);
                    mine.CountRefusal(token, TokenValidationStatus.Revoked, Now);
                    mine.CountRefusal(token, instance == 0 ? TokenValidationStatus.Expired : TokenValidationStatus.AddressNotAllowed, Now);
                }
                await Task.Yield();
                await FlushAsync(mine);
            }
        });
        await Task.WhenAll(flushes);

        var totals = await AssertTotalsAreTheSumsAsync();
        Assert.Equal(1 + 2 * 3 * tokens.Count, totals.Requests[DateOnly.FromDateTime(first)]);
        Assert.Equal(2 * 3 * tokens.Count, totals.Requests[DateOnly.FromDateTime(Now)]);
        Assert.Equal(2 * 3 * tokens.Count, totals.Refusals[(DateOnly.FromDateTime(Now), TokenValidationStatus.Revoked)]);
        Assert.Equal(3 * tokens.Count, totals.Refusals[(DateOnly.FromDateTime(Now), TokenValidationStatus.AddressNotAllowed)]);

        // The first day leaves the retention: its totals go with its rows.
        _db.Time.Advance(TimeSpan.FromDays(TokenUsageHistory.RetainedDays - 1));
        counts.CountUse(tokens[1], Now, null);
        await FlushAsync(counts);
        totals = await AssertTotalsAreTheSumsAsync();
        Assert.DoesNotContain(DateOnly.FromDateTime(first), totals.Requests.Keys);
        Assert.DoesNotContain(totals.Refusals.Keys, k => k.Day == DateOnly.FromDateTime(first));
        Assert.Equal(1, totals.Requests[DateOnly.FromDateTime(Now)]);
    }

    [Fact]
    public async Task AFlushThatLosesTheInsertOfADaysTotalAddsToTheWinnersRow()
    {
        var token = Guid.NewGuid();
        var counts = new TokenUsageCounts();
        for (var i = 0; i < 3; i++)
        {
            counts.CountUse(token, Now, null);
        }
        // Another instance inserts today's total (4 calls) between this flush's update (no row yet)
        // and its insert: the key refuses the insert and the 3 calls are added to the 4.
        var rival = new RivalInsert(_db.Provider, _db.ConnectionString, DateOnly.FromDateTime(Now), 4);
        await using (var db = TestDbContexts.Create(_db.Provider, _db.ConnectionString, rival))
        {
            await new TokenUsageHistory(db, _db.Time).WriteAsync(counts.Drain());
        }

        Assert.True(rival.Inserted);
        await using var scope = _db.Scope();
        var stored = await scope.ServiceProvider.GetRequiredService<PanelDbContext>().TokenDailyTotals.SingleAsync();
        Assert.Equal(7, stored.Requests);
        Assert.Equal(3, On(await ReadAsync(token), Now));
    }

    private sealed record Totals(Dictionary<DateOnly, long> Requests, Dictionary<(DateOnly Day, TokenValidationStatus Reason), long> Refusals);

    private async Task<Totals> AssertTotalsAreTheSumsAsync()
    {
        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var requests = (await db.TokenDailyUsage.Select(u => new { u.Day, u.Requests }).ToListAsync())
            .GroupBy(u => u.Day).ToDictionary(g => g.Key, g => g.Sum(u => u.Requests));
        var refusals = (await db.TokenDailyRefusals.Select(r => new { r.Day, r.Reason, r.Count }).ToListAsync())
            .GroupBy(r => (r.Day, r.Reason)).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        var totals = new Totals(
            await db.TokenDailyTotals.ToDictionaryAsync(t => t.Day, t => t.Requests),
            (await db.TokenDailyRefusalTotals.ToListAsync()).ToDictionary(t => (t.Day, t.Reason), t => t.Count));
        Assert.Equal(requests.OrderBy(p => p.Key), totals.Requests.OrderBy(p => p.Key));
        Assert.Equal(refusals.OrderBy(p => p.Key), totals.Refusals.OrderBy(p => p.Key));
        return totals;
    }

    /// <summary>
    /// Plays another instance: when the flush's update of a day's total finds no row, inserts that
    /// row before the flush's own insert. On PostgreSQL from a connection of its own, committed at
    /// once (the flush holds no lock on a row it did not find); on SQLite, where a second writer
    /// would wait for the flush's transaction, in that transaction, as a stand-in.
    /// </summary>
    private sealed class RivalInsert(DatabaseProvider provider, string connectionString, DateOnly day, long requests) : DbCommandInterceptor
    {
        public bool Inserted { get; private set; }

        public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (Inserted || result != 0 || !command.CommandText.TrimStart().StartsWith("UPDATE", StringComparison.Ordinal)
                || !command.CommandText.Contains("\"TokenDailyTotals\"", StringComparison.Ordinal))
            {
                return result;
            }
            Inserted = true;
            const string Insert = "INSERT INTO \"TokenDailyTotals\" (\"Day\", \"Requests\") VALUES (@day, @requests)";
            if (provider == DatabaseProvider.PostgreSql)
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var insert = new NpgsqlCommand(Insert, connection);
                insert.Parameters.AddWithValue("day", day);
                insert.Parameters.AddWithValue("requests", requests);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            else
            {
                await using var insert = command.Connection!.CreateCommand();
                insert.Transaction = command.Transaction;
                insert.CommandText = Insert;
                foreach (var (name, value) in new (string, object)[] { ("@day", day), ("@requests", requests) })
                {
                    var parameter = insert.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = value;
                    insert.Parameters.Add(parameter);
                }
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            return result;
        }
    }
}

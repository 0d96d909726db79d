using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Usage;

/// <summary>
/// The stored usage history on a real database: counts from the in-memory counter, written by
/// flushes, added to what is there, cut at UTC midnight, pruned after 90 days, and exact when
/// several instances (each with its own counter and context) flush at once.
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
}

using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Usage;

/// <summary>
/// A database that had usage history before the daily totals existed gets them from its per-token
/// rows when it is migrated, so its Overview shows the calls made before the upgrade.
/// </summary>
public class DailyTotalsMigrationTests : MigrationTest
{
    public DailyTotalsMigrationTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same case on another provider (see Persistence/PostgreSqlSuites.cs).</summary>
    protected DailyTotalsMigrationTests(DatabaseProvider provider) : base(provider)
    {
    }

    [Fact]
    public async Task MigratingSumsTheExistingPerTokenRowsIntoDailyTotals()
    {
        var day = new DateOnly(2026, 11, 20);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var before = NewContext())
        {
            await MigrateToJustBeforeAsync(before, "_DailyUsageTotals");
            before.TokenDailyUsage.AddRange(
                new TokenDailyUsage { TokenId = a, Day = day, Requests = 5 },
                new TokenDailyUsage { TokenId = b, Day = day, Requests = 7 },
                new TokenDailyUsage { TokenId = a, Day = day.AddDays(1), Requests = 2 });
            before.TokenDailyRefusals.AddRange(
                new TokenDailyRefusals { TokenId = a, Day = day, Reason = TokenValidationStatus.Revoked, Count = 3 },
                new TokenDailyRefusals { TokenId = b, Day = day, Reason = TokenValidationStatus.Revoked, Count = 4 },
                new TokenDailyRefusals { TokenId = b, Day = day, Reason = TokenValidationStatus.Expired, Count = 1 });
            await before.SaveChangesAsync();
        }

        await using var after = NewContext();
        await after.Database.MigrateAsync();

        Assert.Equal([(day, 12L), (day.AddDays(1), 2L)],
            (await after.TokenDailyTotals.ToListAsync()).OrderBy(t => t.Day).Select(t => (t.Day, t.Requests)));
        Assert.Equal([(TokenValidationStatus.Expired, 1L), (TokenValidationStatus.Revoked, 7L)],
            (await after.TokenDailyRefusalTotals.Where(t => t.Day == day).ToListAsync()).OrderBy(t => t.Reason.ToString()).Select(t => (t.Reason, t.Count)));
        Assert.Equal(2, await after.TokenDailyRefusalTotals.CountAsync());
    }
}

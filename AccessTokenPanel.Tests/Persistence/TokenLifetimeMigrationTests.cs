using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Persistence;

/// <summary>
/// Tokens issued before the lifetime column existed get it when the database is migrated (the
/// database computes it), and it follows a later change of expiry, so the "over policy" figure of
/// an upgraded panel counts the old tokens as it did before.
/// </summary>
public class TokenLifetimeMigrationTests : MigrationTest
{
    public TokenLifetimeMigrationTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same case on another provider (see Persistence/PostgreSqlSuites.cs).</summary>
    protected TokenLifetimeMigrationTests(DatabaseProvider provider) : base(provider)
    {
    }

    [Fact]
    public async Task MigratingGivesExistingTokensTheirLifetimeAndItFollowsTheExpiry()
    {
        var created = new DateTime(2026, 11, 20, 8, 30, 15, DateTimeKind.Utc).AddTicks(1_234_560);
        var lifetimes = new[] { TimeSpan.FromDays(90), TimeSpan.FromDays(90) + TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(365.5) };
        await using (var before = NewContext())
        {
            await MigrateToJustBeforeAsync(before, "_TokenLifetimeDays");
            var owner = new PanelUser { UserName = "old@example.test", Email = "old@example.test", DisplayName = "Old", CreatedAt = created };
            before.Users.Add(owner);
            await before.SaveChangesAsync();
            // Written as that schema's rows: the current model has a column the old table lacks.
            for (var i = 0; i < lifetimes.Length; i++)
            {
                var id = Guid.NewGuid();
                object idValue = Provider == DatabaseProvider.Sqlite ? id.ToString().ToUpperInvariant() : id;
                var (name, hint, hash, expires) = ($"old {i}", "atp_rest_…abcd", new byte[32], created + lifetimes[i]);
                hash[0] = (byte)i;
                await before.Database.ExecuteSqlAsync($"""
                    INSERT INTO "AccessTokens" ("Id", "OwnerId", "Name", "ApiType", "SecretHash", "Hint", "CreatedAt", "ExpiresAt", "Kind", "StepUpFailedAttempts")
                    VALUES ({idValue}, {owner.Id}, {name}, {"Rest"}, {hash}, {hint}, {created}, {expires}, {0}, {0})
                    """);
            }
        }

        await using var after = NewContext();
        await after.Database.MigrateAsync();

        var days = await after.AccessTokens.OrderBy(t => t.Name).Select(t => EF.Property<double>(t, PanelDbContext.LifetimeDays)).ToListAsync();
        Assert.Equal(lifetimes.Length, days.Count);
        for (var i = 0; i < lifetimes.Length; i++)
        {
            // SQLite's julian day numbers are about 50 µs apart (see PanelDbFunctions.DaysBetween).
            Assert.Equal(lifetimes[i].TotalDays, days[i], 1e-8);
        }

        var shortened = created.AddDays(30);
        await after.AccessTokens.Where(t => t.Name == "old 2").ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, shortened));
        Assert.Equal(30, await after.AccessTokens.Where(t => t.Name == "old 2").Select(t => EF.Property<double>(t, PanelDbContext.LifetimeDays)).SingleAsync(), 1e-6);
    }
}

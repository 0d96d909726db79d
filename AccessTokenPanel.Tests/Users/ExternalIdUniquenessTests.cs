using AccessTokenPanel.Domain.Authorization;
using System.Data.Common;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Users;

/// <summary>
/// An externalId names one user: external JWTs are mapped to users by it, so two holders would make
/// that mapping ambiguous. The service refuses a second holder, the unique index settles a race, and
/// the migration that adds the index keeps the oldest holder of a value already duplicated.
/// </summary>
public class ExternalIdUniquenessTests : IAsyncLifetime
{
    private readonly DatabaseProvider _provider;
    private readonly RivalBeforeSaving _rival = new();
    private readonly SqliteTestDatabase _db;
    private Actor _actor = null!;

    public ExternalIdUniquenessTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same cases on another provider (see Persistence/PostgreSqlSuites.cs).</summary>
    protected ExternalIdUniquenessTests(DatabaseProvider provider)
    {
        _provider = provider;
        _db = new(provider, _rival);
    }

    public async Task InitializeAsync()
    {
        var admin = await _db.AddUserAsync("admin@example.com", PanelRoles.UserAdministrator);
        _actor = Actor.Session(admin.Id, PanelRoles.Find(PanelRoles.UserAdministrator)!.Permissions, enrolled: true, via: "test");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<UserAccountResult> CreateAsync(string email, string? externalId)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<UserAccounts>()
            .CreateAsync(_actor, new NewUserRequest { Email = email, ExternalId = externalId });
    }

    private async Task<UserAccountResult> SetExternalIdAsync(string userId, string externalId)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<UserAccounts>()
            .UpdateAsync(_actor, userId, new UserChange { ExternalIdSet = true, ExternalId = externalId });
    }

    private async Task<List<string>> HoldersAsync(string externalId)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<PanelDbContext>().Users
            .Where(u => u.ExternalId == externalId).Select(u => u.Email!).ToListAsync();
    }

    /// <summary>Another request gives <paramref name="holderId"/> the externalId after the service checked it was free.</summary>
    private void RivalTakes(string holderId, string externalId) => _rival.Arm(async () =>
    {
        await using var scope = _db.Scope();
        await scope.ServiceProvider.GetRequiredService<PanelDbContext>().Users.Where(u => u.Id == holderId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.ExternalId, externalId));
    });

    [Fact]
    public async Task SecondHolderOfAnExternalIdIsRefused()
    {
        Assert.True((await CreateAsync("first@example.com", "idp-1")).Succeeded);
        var second = await CreateAsync("second@example.com", null);

        var create = await CreateAsync("copy@example.com", " idp-1 ");
        var update = await SetExternalIdAsync(second.User!.Id, "idp-1");

        foreach (var refused in new[] { create, update })
        {
            Assert.Equal(UserAccountError.Duplicate, refused.Error);
            Assert.Equal("externalId", refused.Field);
            Assert.Contains("idp-1", refused.Message);
        }
        Assert.Equal(["first@example.com"], await HoldersAsync("idp-1"));
    }

    [Fact]
    public async Task CreateThatLosesTheRaceForAnExternalIdIsRefusedNotThrown()
    {
        var rival = await CreateAsync("rival@example.com", null);
        RivalTakes(rival.User!.Id, "idp-race");

        var result = await CreateAsync("late@example.com", "idp-race");

        Assert.True(_rival.Fired);
        Assert.Equal(UserAccountError.Duplicate, result.Error);
        Assert.Equal("externalId", result.Field);
        Assert.Equal(["rival@example.com"], await HoldersAsync("idp-race"));
        await using var scope = _db.Scope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<PanelDbContext>().Users.AnyAsync(u => u.Email == "late@example.com"));
    }

    [Fact]
    public async Task UpdateThatLosesTheRaceForAnExternalIdIsRefusedNotThrown()
    {
        var rival = await CreateAsync("rival-update@example.com", null);
        var late = await CreateAsync("late-update@example.com", null);
        RivalTakes(rival.User!.Id, "idp-race-update");

        var result = await SetExternalIdAsync(late.User!.Id, "idp-race-update");

        Assert.True(_rival.Fired);
        Assert.Equal(UserAccountError.Duplicate, result.Error);
        Assert.Equal(["rival-update@example.com"], await HoldersAsync("idp-race-update"));
    }

    [Fact]
    public async Task MigrationToTheUniqueIndexKeepsTheOldestHolderOfADuplicatedExternalId()
    {
        var connectionString = _provider == DatabaseProvider.PostgreSql
            ? PostgreSqlTestServer.CreateDatabase(migrated: false)
            : new SqliteConnectionStringBuilder { DataSource = Path.Combine(Path.GetDirectoryName(_db.FilePath)!, "upgrade.db"), Pooling = false }.ToString();
        try
        {
            await using var context = TestDbContexts.Create(_provider, connectionString);
            var migrations = context.Database.GetMigrations().ToList();
            var unique = migrations.FindIndex(m => m.EndsWith("_UniqueExternalId", StringComparison.Ordinal));
            Assert.True(unique > 0, "There is no UniqueExternalId migration.");
            var migrator = context.GetService<IMigrator>();
            await migrator.MigrateAsync(migrations[unique - 1]);

            // As a database could hold them before the index: three users share one externalId.
            var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            // Written in SQL: the model of today has columns that the schema of then does not.
            foreach (var (email, days) in new[] { ("newest@example.com", 2), ("oldest@example.com", 0), ("middle@example.com", 1), ("alone@example.com", 3) })
            {
                var externalId = email == "alone@example.com" ? "idp-alone" : "idp-shared";
                await context.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "DisplayName",
                        "CreatedAt", "ExternalId", "SecurityStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount",
                        "IsDisabled", "TotpFailedAttempts")
                    VALUES ({Guid.NewGuid().ToString()}, {email}, {email.ToUpperInvariant()}, {email}, {email.ToUpperInvariant()}, {false}, {email},
                        {created.AddDays(days)}, {externalId}, {Guid.NewGuid().ToString()}, {false}, {false}, {true}, {0}, {false}, {0})
                    """);
            }
            await migrator.MigrateAsync();

            var stored = await context.Users.AsNoTracking().OrderBy(u => u.Email).Select(u => new { u.Email, u.ExternalId }).ToListAsync();
            var expected = new List<(string?, string?)>
            {
                ("alone@example.com", "idp-alone"), ("middle@example.com", null), ("newest@example.com", null), ("oldest@example.com", "idp-shared"),
            };
            Assert.Equal(expected, stored.Select(u => (u.Email, u.ExternalId)).ToList());
            var audited = await context.AuditEntries.AsNoTracking().Where(e => e.Action == "user.updated").Select(e => e.Details).OrderBy(d => d).ToListAsync();
            Assert.Equal(["middle@example.com: externalId idp-shared -> (none): an older user holds it (migration UniqueExternalId)",
                "newest@example.com: externalId idp-shared -> (none): an older user holds it (migration UniqueExternalId)"], audited);
            context.Users.Add(new PanelUser
            {
                UserName = "after@example.com", NormalizedUserName = "AFTER@EXAMPLE.COM", Email = "after@example.com", DisplayName = "after",
                CreatedAt = created, ExternalId = "idp-shared", SecurityStamp = Guid.NewGuid().ToString(),
            });
            await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync());
        }
        finally
        {
            if (_provider == DatabaseProvider.PostgreSql)
            {
                PostgreSqlTestServer.DropDatabase(connectionString);
            }
        }
    }

    /// <summary>Runs an armed action once, when the next transaction starts: after a service's checks, before its save.</summary>
    private sealed class RivalBeforeSaving : DbTransactionInterceptor
    {
        private Func<Task>? _action;

        public bool Fired { get; private set; }

        public void Arm(Func<Task> action) => _action = action;

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
            DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
            CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _action, null) is { } action)
            {
                await action();
                Fired = true;
            }
            return result;
        }
    }
}

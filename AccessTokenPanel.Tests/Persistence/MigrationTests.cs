using AccessTokenPanel.Web.Data.PostgreSql;
using AccessTokenPanel.Web.Data.Sqlite;
using AccessTokenPanel.Web.Data.SqlServer;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AccessTokenPanel.Tests.Persistence;

public class MigrationTests
{
    [Fact]
    public void SqliteMigrationsMatchTheModel()
    {
        using var context = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(), "The model changed without a migration: run scripts/add-migration.sh <Name> (README, \"Adding a migration\").");
    }

    [Fact]
    public void SqlServerMigrationsMatchTheModel()
    {
        using var context = new SqlServerDesignTimeFactory().CreateDbContext([]);
        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(), "The model changed without a migration: run scripts/add-migration.sh <Name> (README, \"Adding a migration\").");
    }

    [Fact]
    public void PostgreSqlMigrationsMatchTheModel()
    {
        using var context = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(), "The model changed without a migration: run scripts/add-migration.sh <Name> (README, \"Adding a migration\").");
    }

    [Fact]
    public void PostgreSqlStoresInstantsAsTimestampWithTimeZone()
    {
        // UTC DateTime maps to timestamptz: Npgsql refuses a non-UTC DateTime for it, and the
        // converter marks every read as UTC, so no instant is ever shifted by a server time zone.
        using var context = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        var script = context.GetService<IMigrator>().GenerateScript();
        Assert.Contains("\"ExpiresAt\" timestamp with time zone NOT NULL", script);
        Assert.Contains("\"SecretHash\" bytea NOT NULL", script);
        Assert.Contains("CREATE TABLE \"DataProtectionKeys\"", script);
        Assert.DoesNotContain("timestamp without time zone", script);
    }

    [Fact]
    public void SqlServerIdempotentScriptIsGenerated()
    {
        // The same script `dotnet ef migrations script --idempotent --context SqlServerPanelDbContext` writes.
        using var context = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("IF NOT EXISTS (", script);
        Assert.Contains("FROM [__EFMigrationsHistory]", script);
        Assert.Contains("CREATE TABLE [AccessTokens]", script);
        Assert.Contains("CREATE UNIQUE INDEX [IX_AccessTokens_SecretHash]", script);
        Assert.Contains("[SecretHash] binary(32)", script);
        Assert.Contains("CREATE TABLE [AspNetUsers]", script);
    }

    [Fact]
    public void BothProvidersMigrateTheSameTables()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var sqlServer = new SqlServerDesignTimeFactory().CreateDbContext([]);
        using var postgreSql = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        var sqliteTables = sqlite.Model.GetEntityTypes().Select(e => e.GetTableName()).Order();
        var sqlServerTables = sqlServer.Model.GetEntityTypes().Select(e => e.GetTableName()).Order();
        Assert.Equal(sqliteTables, sqlServerTables);
        Assert.Equal(sqliteTables, postgreSql.Model.GetEntityTypes().Select(e => e.GetTableName()).Order());
        Assert.Contains("DataProtectionKeys", sqliteTables);
        Assert.Contains("AccessTokens", sqliteTables);
        Assert.Contains("AuditEntries", sqliteTables);
        Assert.Contains("Settings", sqliteTables);
    }

    [Fact]
    public async Task ValidatorsSavedBeforeTheMaximumRoleExistedMapNoSuperAdministrator()
    {
        var folder = Directory.CreateTempSubdirectory("atp-migration-").FullName;
        try
        {
            var options = new DbContextOptionsBuilder<SqlitePanelDbContext>()
                .UseSqlite(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "panel.db"), Pooling = false }.ToString())
                .Options;
            await using var context = new SqlitePanelDbContext(options);
            var migrator = context.GetService<IMigrator>();
            var migrations = context.Database.GetMigrations().ToList();
            var maxRole = migrations.Single(m => m.EndsWith("_ValidatorMaxRole", StringComparison.Ordinal));
            await migrator.MigrateAsync(migrations[migrations.IndexOf(maxRole) - 1]);
            await context.Database.ExecuteSqlRawAsync(
                "INSERT INTO ExternalTokenValidators (Id, Name, Issuer, JwksUrl, Audience, UserClaim, Enabled, CreatedAt, UpdatedAt) "
                + "VALUES ('0193a1b2-0000-7000-8000-000000000001', 'Old IdP', 'https://login.example.com', NULL, 'panel', 'Email', 1, "
                + "'2026-11-01 00:00:00', '2026-11-01 00:00:00')");

            await migrator.MigrateAsync();

            Assert.Equal(Domain.Permissions.PanelRoles.UserAdministrator,
                await context.ExternalTokenValidators.Select(v => v.MaxRole).SingleAsync());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// A test of one migration's upgrade path: an empty database of the provider (a SQLite file of its
/// own, or an unmigrated PostgreSQL database), brought to the schema just before the migration
/// (<see cref="MigrateToJustBeforeAsync"/>), given rows of that schema, then migrated on. A derived
/// class's PostgreSQL twin passes <see cref="DatabaseProvider.PostgreSql"/> (Persistence/PostgreSqlSuites.cs).
/// </summary>
public abstract class MigrationTest : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atp-migration-").FullName;
    private readonly string _connectionString;

    protected MigrationTest(DatabaseProvider provider)
    {
        Provider = provider;
        _connectionString = provider == DatabaseProvider.PostgreSql
            ? PostgreSqlTestServer.CreateDatabase(migrated: false)
            : new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "panel.db"), Pooling = false }.ToString();
    }

    protected DatabaseProvider Provider { get; }

    protected PanelDbContext NewContext() => TestDbContexts.Create(Provider, _connectionString);

    /// <summary>Applies every migration before the one whose name ends with <paramref name="migration"/> (e.g. "_DailyUsageTotals").</summary>
    protected static async Task MigrateToJustBeforeAsync(PanelDbContext context, string migration)
    {
        var migrations = context.Database.GetMigrations().ToList();
        var target = migrations.Single(m => m.EndsWith(migration, StringComparison.Ordinal));
        await context.GetService<IMigrator>().MigrateAsync(migrations[migrations.IndexOf(target) - 1]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            PostgreSqlTestServer.DropDatabase(_connectionString);
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner rather than failing the test.
        }
        return Task.CompletedTask;
    }
}

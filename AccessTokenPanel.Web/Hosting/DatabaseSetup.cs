using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Data.PostgreSql;
using AccessTokenPanel.Web.Data.Sqlite;
using AccessTokenPanel.Web.Data.SqlServer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Hosting;

internal static class DatabaseSetup
{
    public static IServiceCollection AddPanelDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

        // Pooled contexts: a request (and the bearer check in it) rents a ready context instead of
        // building one and its services each time.
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var connectionString = new SqliteConnectionStringBuilder(ResolveSqliteDataSource(options.ConnectionString, environment.ContentRootPath))
                {
                    DefaultTimeout = options.BusyTimeoutSeconds,
                }.ToString();
                services.AddDbContextPool<SqlitePanelDbContext>(db => db.UseSqlite(connectionString));
                services.AddScoped<PanelDbContext>(sp => sp.GetRequiredService<SqlitePanelDbContext>());
                // The bearer check's query as a prepared statement (the other providers run it compiled through EF).
                // A singleton for ITokenLookup too: a scoped factory would have each scope dispose it.
                services.AddSingleton<SqliteTokenLookup>();
                services.Replace(ServiceDescriptor.Singleton<ITokenLookup>(sp => sp.GetRequiredService<SqliteTokenLookup>()));
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<SqlServerPanelDbContext>(db => db.UseSqlServer(options.ConnectionString));
                services.AddScoped<PanelDbContext>(sp => sp.GetRequiredService<SqlServerPanelDbContext>());
                break;
            case DatabaseProvider.PostgreSql:
                services.AddDbContextPool<PostgreSqlPanelDbContext>(db => db.UseNpgsql(WithPreparedStatements(options.ConnectionString)));
                services.AddScoped<PanelDbContext>(sp => sp.GetRequiredService<PostgreSqlPanelDbContext>());
                break;
            default:
                throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                    [$"Database:Provider must be Sqlite, SqlServer or PostgreSql, not '{options.Provider}'."]);
        }
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthChecks.ReadyTag]);
        services.AddExceptionHandler<DatabaseFaultHandler>();
        return services;
    }

    /// <summary>
    /// Npgsql prepares the statements a connection runs often (its automatic preparation, off
    /// unless asked for): the bearer check's one statement, with its joins and subqueries, is then
    /// parsed and planned once per connection instead of on every call. Npgsql re-prepares after a
    /// schema change (a migration by another instance). An operator's own setting (even 0) wins.
    /// </summary>
    internal static string WithPreparedStatements(string? connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql's own builder answers ContainsKey for every keyword it knows: ask the raw string.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(key => key.Replace(" ", "").Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }

    /// <summary>
    /// The Data Protection key ring (cookies, antiforgery tokens, circuit state) in the panel
    /// database under one fixed application name, so every instance on that database reads what
    /// any other protected. Keys live 90 days and are rolled automatically; old keys stay to read old data.
    /// </summary>
    public static IServiceCollection AddPanelDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<PanelDbContext>();
        return services;
    }

    /// <summary>Shared by every instance; changing it makes every existing cookie unreadable.</summary>
    public const string ApplicationName = "AccessTokenPanel";

    /// <summary>Makes a relative SQLite file path absolute under the content root and (unless told not to) creates its folder.</summary>
    internal static string ResolveSqliteDataSource(string connectionString, string contentRoot, bool createFolder = true)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return connectionString;
        }
        if (!Path.IsPathRooted(dataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, dataSource));
        }
        if (createFolder)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        return builder.ConnectionString;
    }

    /// <summary>Applies migrations and seeds the panel roles and the settings row.</summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        await MigrateUnderLockAsync(db, cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Readers do not wait for the writer, and a writer waits for another rather than failing.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in PanelRoles.All)
        {
            if (!await roles.RoleExistsAsync(role.Name))
            {
                IdentityResult result;
                try
                {
                    result = await roles.CreateAsync(new IdentityRole(role.Name));
                }
                catch (DbUpdateException)
                {
                    // Another instance starting at the same time may have created it first.
                    db.ChangeTracker.Clear();
                    if (await roles.RoleExistsAsync(role.Name))
                    {
                        continue;
                    }
                    throw;
                }
                if (!result.Succeeded && !await roles.RoleExistsAsync(role.Name))
                {
                    throw new InvalidOperationException($"Could not create role {role.Name}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
                }
            }
        }
        try
        {
            await scope.ServiceProvider.GetRequiredService<SettingsStore>().GetAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance inserted the settings row first; it is there now.
            db.ChangeTracker.Clear();
            await scope.ServiceProvider.GetRequiredService<SettingsStore>().GetAsync(cancellationToken);
        }
        await EnsureSharedDataProtectionKeyAsync(scope.ServiceProvider, db, cancellationToken);
    }

    /// <summary>
    /// Instances starting together on one server database would otherwise each apply the pending
    /// migrations and fail on each other's changes ("column already exists"): under a database lock,
    /// the first migrates and the others find nothing left to do. SQLite has one writer anyway.
    /// </summary>
    private static async Task MigrateUnderLockAsync(PanelDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }
        // The lock needs a connection to the database, which a first start may still have to create
        // (MigrateAsync would create it, but only after the lock).
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (Exception) when (creator.Exists())
            {
                // Another instance created it at the same moment.
            }
        }
        await DatabaseLock.RunAsync(db, DatabaseLockName.Migrations, () => db.Database.MigrateAsync(cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Instances starting together on an empty key table would each create a key of their own and
    /// read each other's cookies only after their key rings refresh. Under a database lock, the
    /// first creates the key and the others find it.
    /// </summary>
    private static async Task EnsureSharedDataProtectionKeyAsync(IServiceProvider services, PanelDbContext db, CancellationToken cancellationToken)
    {
        if (services.GetService<IKeyManager>() is not { } keys)
        {
            return;
        }
        await DatabaseLock.RunAsync(db, DatabaseLockName.DataProtection, () =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
            {
                keys.CreateNewKey(now, now.AddDays(90));
            }
            return Task.CompletedTask;
        }, cancellationToken);
    }
}

using Microsoft.Extensions.Time.Testing;
using AccessTokenPanel.Domain;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Data.PostgreSql;
using AccessTokenPanel.Web.Data.Sqlite;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// A real SQLite database file in a temp folder, migrated like the app's (a copy of <see cref="SqliteTemplate"/>), with the domain services
/// over it and a clock the test controls. Deleted on dispose. With <see cref="DatabaseProvider.PostgreSql"/>
/// it is a fresh database of its own on the run's PostgreSQL server instead (see <see cref="PostgreSqlTestServer"/>).
/// </summary>
public sealed class SqliteTestDatabase : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atp-test-").FullName;
    private readonly IInterceptor[] _interceptors = [];

    public SqliteTestDatabase() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <param name="interceptors">EF interceptors for every context (e.g. to capture the SQL a reader runs).</param>
    public SqliteTestDatabase(DatabaseProvider provider, params IInterceptor[] interceptors)
    {
        Provider = provider;
        _interceptors = interceptors;
        FilePath = Path.Combine(_folder, "panel.db");
        ConnectionString = provider switch
        {
            DatabaseProvider.Sqlite => new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString(),
            DatabaseProvider.PostgreSql => PostgreSqlTestServer.CreateDatabase(),
            _ => throw new NotSupportedException($"No test database for {provider}."),
        };
        if (provider == DatabaseProvider.Sqlite)
        {
            // A copy of the run's migrated template (PostgreSQL's CreateDatabase copies its template too).
            SqliteTemplate.CopyTo(FilePath);
        }
        Services = BuildServices();
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The SQLite file (SQLite only).</summary>
    public string FilePath { get; }
    public string ConnectionString { get; }
    public FakeTimeProvider Time { get; } = TestClock.Create();
    public ServiceProvider Services { get; private set; }

    /// <summary>A scope over the same file, as a new request would have.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    /// <summary>Throws the service provider (and every context) away and builds a new one over the same file.</summary>
    public async Task ReopenAsync()
    {
        await Services.DisposeAsync();
        Services = BuildServices();
    }

    /// <summary>Adds a user with the given panel roles, straight through the Identity stores.</summary>
    public async Task<PanelUser> AddUserAsync(string email, params string[] roles)
    {
        await using var scope = Scope();
        var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in roles.Where(r => PanelRoles.Find(r) is not null))
        {
            if (!await roleManager.RoleExistsAsync(role))
            {
                await roleManager.CreateAsync(new IdentityRole(role));
            }
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = new PanelUser { UserName = email, Email = email, DisplayName = email, CreatedAt = Time.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(user);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        if (roles.Length > 0)
        {
            var added = await users.AddToRolesAsync(user, roles);
            Assert.True(added.Succeeded, string.Join("; ", added.Errors.Select(e => e.Description)));
        }
        return user;
    }

    private ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddPanelDomain();
        if (Provider == DatabaseProvider.PostgreSql)
        {
            services.AddDbContext<PostgreSqlPanelDbContext>(db => db.UseNpgsql(ConnectionString).AddInterceptors(_interceptors));
            services.AddScoped<PanelDbContext>(sp => sp.GetRequiredService<PostgreSqlPanelDbContext>());
        }
        else
        {
            services.AddDbContext<SqlitePanelDbContext>(db => db.UseSqlite(ConnectionString).AddInterceptors(_interceptors));
            services.AddScoped<PanelDbContext>(sp => sp.GetRequiredService<SqlitePanelDbContext>());
        }
        services.AddIdentityCore<PanelUser>(IdentitySchema.Configure).AddRoles<IdentityRole>().AddEntityFrameworkStores<PanelDbContext>();
        TestPasswordHashing.Use(services, TestPasswordHashing.Iterations);
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (Provider == DatabaseProvider.PostgreSql)
        {
            PostgreSqlTestServer.DropDatabase(ConnectionString);
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the OS temp cleaner rather than failing the test.
        }
    }
}

using Microsoft.Extensions.Time.Testing;
using AccessTokenPanel.Domain;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Data.Sqlite;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// A real SQLite database file in a temp folder, migrated like the app's, with the domain services
/// over it and a clock the test controls. Deleted on dispose.
/// </summary>
public sealed class SqliteTestDatabase : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atp-test-").FullName;

    public SqliteTestDatabase()
    {
        FilePath = Path.Combine(_folder, "panel.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString();
        Services = BuildServices();
        using var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<PanelDbContext>().Database.Migrate();
    }

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
        services.AddDbContext<SqlitePanelDbContext>(db => db.UseSqlite(ConnectionString));
        services.AddScoped<PanelDbContext>(sp => sp.GetRequiredService<SqlitePanelDbContext>());
        services.AddIdentityCore<PanelUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<PanelDbContext>();
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
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

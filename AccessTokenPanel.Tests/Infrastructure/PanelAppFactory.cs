using Microsoft.Extensions.Time.Testing;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// The real app over real HTTP, on its own SQLite file in a temp folder, with a clock the test
/// moves and every log line captured. <see cref="StartKestrel"/> gives a real port for a browser.
/// </summary>
public class PanelAppFactory : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atp-app-").FullName;

    public PanelAppFactory()
    {
        DatabasePath = Path.Combine(_folder, "panel.db");
        // Tests sign in and send codes far faster than a person; only the rate-limit tests lower this.
        Settings["RateLimiting:Credentials:PermitLimit"] = "100000";
    }

    public string DatabasePath { get; }

    /// <summary>
    /// Whether a SQLite app starts on a copy of the run's migrated template (<see cref="SqliteTemplate"/>)
    /// rather than migrating an empty file itself: migrating costs the suite far more than a copy.
    /// A file already at <see cref="DatabasePath"/> (a restored backup, a restart) is left alone either way.
    /// </summary>
    public bool StartFromMigratedTemplate { get; init; } = true;

    /// <summary>
    /// PBKDF2 rounds of the password hasher (<see cref="TestPasswordHashing"/>); null keeps the app's
    /// own setting, for the tests that measure what a password check costs.
    /// </summary>
    public int? PasswordHashIterations { get; init; } = TestPasswordHashing.Iterations;

    /// <summary>SQLite unless a derived fixture chooses PostgreSQL (a database of its own on the run's server).</summary>
    public DatabaseProvider Provider { get; protected init; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The PostgreSQL database's connection string, once the app has started on one. A derived
    /// fixture may set it to share one database between several instances (then it does not drop it).
    /// </summary>
    public string? PostgreSqlConnectionString { get; protected set; }

    /// <summary>Whether disposing drops the PostgreSQL database (false when several instances share it).</summary>
    protected bool OwnsDatabase { get; set; } = true;

    private bool _handedOver;
    private readonly List<string> _inheritedFolders = [];

    /// <summary>
    /// A restart: <paramref name="next"/> (already configured on this database) becomes its owner,
    /// so disposing this instance leaves the database for the next one, which cleans it up.
    /// </summary>
    public void HandDatabaseTo(PanelAppFactory next)
    {
        _handedOver = true;
        next.OwnsDatabase = OwnsDatabase;
        next._inheritedFolders.Add(_folder);
    }
    public FakeTimeProvider Time { get; } = TestClock.CreateForApp();
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Extra configuration a test class wants (e.g. <c>["Panel:Something"] = "x"</c>).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>Serves on a free loopback port (for Chromium) and returns the base address.</summary>
    public Uri StartKestrel() => StartKestrel(0);

    /// <summary>Serves on loopback port <paramref name="port"/> (an instance restarted where the balancer expects it).</summary>
    public Uri StartKestrel(int port)
    {
        UseKestrel(port);
        StartServer();
        return ClientOptions.BaseAddress;
    }

    private IHost? _host;

    /// <summary>
    /// What SIGTERM does to the real process: the app is asked to stop, and its own <c>app.Run()</c>
    /// (Program.cs runs under the factory) stops the host gracefully (drain, requests in flight,
    /// hosted services' last work) and then disposes it: returns once it stopped. With
    /// <paramref name="hurry"/> the test stops the host itself, and cancelling it plays the
    /// shutdown deadline passing. Either way the app's services may be gone afterwards.
    /// </summary>
    public async Task StopAsync(CancellationToken hurry = default)
    {
        var host = _host ?? throw new InvalidOperationException("Not started.");
        if (hurry.CanBeCanceled)
        {
            await host.StopAsync(hurry);
            return;
        }
        // Not host.StopAsync() here: app.Run() would wake up, stop it too and dispose it while our
        // stop still flushes. ApplicationStopped is raised after every hosted service stopped.
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());
        lifetime.StopApplication();
        await stopped.Task.WaitAsync(TimeSpan.FromMinutes(1));
    }

    protected override IHost CreateHost(IHostBuilder builder) => _host = base.CreateHost(builder);

    /// <summary>A scope on the app's services, e.g. to read the database the app wrote.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async Task<T> WithDbAsync<T>(Func<PanelDbContext, Task<T>> action)
    {
        await using var scope = Scope();
        return await action(scope.ServiceProvider.GetRequiredService<PanelDbContext>());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (Provider == DatabaseProvider.PostgreSql)
        {
            PostgreSqlConnectionString ??= PostgreSqlTestServer.CreateDatabase();
            builder.UseSetting("Database:Provider", "PostgreSql");
            builder.UseSetting("Database:ConnectionString", PostgreSqlConnectionString);
        }
        else
        {
            if (StartFromMigratedTemplate && !File.Exists(DatabasePath))
            {
                SqliteTemplate.CopyTo(DatabasePath);
            }
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Database:ConnectionString",
                new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        }
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            if (PasswordHashIterations is { } iterations)
            {
                TestPasswordHashing.Use(services, iterations);
            }
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_handedOver)
        {
            return;
        }
        if (PostgreSqlConnectionString is not null && OwnsDatabase)
        {
            PostgreSqlTestServer.DropDatabase(PostgreSqlConnectionString);
        }
        foreach (var folder in _inheritedFolders.Append(_folder))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

using System.Diagnostics;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;

namespace AccessTokenPanel.Tests.ScaleOut;

/// <summary>
/// Three instances of the real app (Kestrel on real loopback ports) on one empty PostgreSQL
/// database, started at the same moment, behind nginx running deploy/accesstokenpanel.nginx.conf.
/// </summary>
public sealed class PanelCluster : IAsyncLifetime
{
    public const int Size = 3;

    private readonly List<Instance> _instances = [];

    public IReadOnlyList<Instance> Instances => _instances;
    public Nginx Balancer { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";

    /// <summary>Exceptions the instances threw while starting together (expected: none).</summary>
    public IReadOnlyList<Exception> StartFailures { get; private set; } = [];

    public async Task InitializeAsync()
    {
        // Empty: the instances themselves must migrate it, all at once.
        ConnectionString = PostgreSqlTestServer.CreateDatabase(migrated: false);
        _instances.AddRange(Enumerable.Range(0, Size).Select(i => new Instance(ConnectionString, i)));
        var starts = Instances.Select(instance => Task.Run(instance.StartKestrel)).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            // Collected below.
        }
        StartFailures = starts.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
        if (StartFailures.Count == 0)
        {
            Balancer = await Nginx.StartAsync(Instances.Select(i => i.Address).ToList());
        }
    }

    /// <summary>Every instance's clock to the same instant (TOTP codes must mean the same thing everywhere).</summary>
    public void AdvanceClocks(TimeSpan by)
    {
        foreach (var instance in Instances)
        {
            instance.Time.Advance(by);
        }
    }

    /// <summary>
    /// Restarts instance <paramref name="index"/> as an operator would: stops its host gracefully
    /// (as on SIGTERM), then starts a new one on the same port and database, with the cluster's
    /// clock, and returns once it serves. <paramref name="whileStopping"/> runs once the stop began.
    /// </summary>
    /// <returns>How long the graceful stop took.</returns>
    public async Task<TimeSpan> RestartAsync(int index, Func<Instance, Task>? whileStopping = null)
    {
        var old = _instances[index];
        var started = Stopwatch.GetTimestamp();
        var stopping = old.StopAsync();
        if (whileStopping is not null)
        {
            await whileStopping(old);
        }
        await stopping;
        var stopped = Stopwatch.GetElapsedTime(started);

        var next = new Instance(ConnectionString, index);
        next.Time.SetUtcNow(old.Time.GetUtcNow());
        next.StartKestrel(old.Address.Port);
        _instances[index] = next;
        await old.DisposeAsync();
        // What the README's procedure waits for before the next instance: ready, at its address.
        using var http = new HttpClient { BaseAddress = next.Address };
        var ready = await http.GetAsync("/healthz/ready");
        if (!ready.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Restarted instance {index} at {next.Address} is not ready: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
        }
        return stopped;
    }

    public async Task DisposeAsync()
    {
        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }
        PostgreSqlTestServer.DropDatabase(ConnectionString);
    }

    public sealed class Instance : ApiAppFactory
    {
        public Instance(string connectionString, int index)
        {
            Provider = DatabaseProvider.PostgreSql;
            PostgreSqlConnectionString = connectionString;
            OwnsDatabase = false;
            Index = index;
            // Usage is flushed by the tests (and at shutdown), not by the timer.
            Settings["Api:TokenUsage:FlushInterval"] = "01:00:00";
        }

        public int Index { get; }
        public Uri Address { get; private set; } = null!;

        public new Uri StartKestrel() => Address = base.StartKestrel();

        public new Uri StartKestrel(int port) => Address = base.StartKestrel(port);
    }
}

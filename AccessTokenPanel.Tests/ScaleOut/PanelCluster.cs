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

    public IReadOnlyList<Instance> Instances { get; private set; } = [];
    public Nginx Balancer { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";

    /// <summary>Exceptions the instances threw while starting together (expected: none).</summary>
    public IReadOnlyList<Exception> StartFailures { get; private set; } = [];

    public async Task InitializeAsync()
    {
        // Empty: the instances themselves must migrate it, all at once.
        ConnectionString = PostgreSqlTestServer.CreateDatabase(migrated: false);
        Instances = Enumerable.Range(0, Size).Select(i => new Instance(ConnectionString, i)).ToList();
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
    }
}

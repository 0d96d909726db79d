using BenchmarkDotNet.Attributes;

namespace AccessTokenPanel.Bench;

/// <summary>
/// The in-process benchmarks' app: the real app on its throw-away database with the bench user and
/// tokens (<see cref="BenchApp.SeedAsync"/>), made once per benchmark class and disposed after it.
/// </summary>
public abstract class SeededAppBenchmarks
{
    private protected BenchApp App { get; private set; } = null!;

    /// <summary>A valid REST token's secret.</summary>
    protected string Secret { get; private set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        App = new BenchApp();
        _ = App.Services;
        App.SeedAsync().GetAwaiter().GetResult();
        Secret = App.RestSecret;
        Seeded();
    }

    /// <summary>What a class prepares beyond the seeded app, once, outside the timed calls.</summary>
    protected virtual void Seeded()
    {
    }

    [GlobalCleanup]
    public void Cleanup() => App.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

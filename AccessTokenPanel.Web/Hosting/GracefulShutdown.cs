using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>The <c>Shutdown</c> section of appsettings.json: how a stopping instance drains (README "Rolling restart").</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// How long a stopping instance goes on serving while readiness answers 503, before it stops
    /// listening: give a balancer that probes <c>/healthz/ready</c> time to take it out of rotation
    /// (probe interval times the failures it waits for). 0, the default: stop listening at once;
    /// a balancer that retries on the next instance (deploy/accesstokenpanel.nginx.conf) needs no more.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long requests in flight may take to finish once the instance stopped listening.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// A graceful stop (SIGTERM, <c>systemctl stop</c>): readiness turns 503 at once, the instance goes
/// on serving for <see cref="ShutdownOptions.DrainDelay"/>, then the server stops listening and
/// finishes the requests in flight (within <see cref="ShutdownOptions.Timeout"/>), and last the
/// token usage is flushed (<c>TokenUsageFlusher</c>, on a budget of its own).
/// </summary>
public sealed class ShutdownDrain(IOptions<ShutdownOptions> options, TimeProvider time, ILogger<ShutdownDrain> logger)
    : IHostedLifecycleService, IHealthCheck
{
    private int _draining;

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    // Lifecycle services' StoppingAsync all run before any StopAsync, so before the server's.
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var delay = options.Value.DrainDelay;
        // Once: a host asked to stop again (disposal after a stop) has nothing left to drain.
        if (Interlocked.Exchange(ref _draining, 1) == 1 || delay <= TimeSpan.Zero)
        {
            return;
        }
        logger.LogInformation("Stopping: readiness answers 503; serving {Seconds} s more before no longer listening.", delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The stop was hurried (shutdown deadline or a second signal): stop listening now.
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsDraining
            ? new HealthCheckResult(context.Registration.FailureStatus, "The instance is stopping.")
            : HealthCheckResult.Healthy());

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class GracefulShutdownSetup
{
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The host's deadline covers the drain and then the requests in flight.
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = shutdown.Value.DrainDelay + shutdown.Value.Timeout);
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        services.AddHealthChecks().AddCheck<ShutdownDrain>("shutdown", tags: [HealthChecks.ReadyTag]);
        return services;
    }
}

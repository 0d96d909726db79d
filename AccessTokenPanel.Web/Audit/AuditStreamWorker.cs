using AccessTokenPanel.Domain.Audit;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Audit;

/// <summary>
/// On every instance, every <see cref="AuditStreamOptions.Interval"/>: sends the audit entries the
/// sinks have not received. The sinks' cursors and leases in the database decide which instance
/// sends to a sink, so running it everywhere is safe.
/// </summary>
public sealed class AuditStreamWorker(
    IServiceScopeFactory scopes, IOptions<AuditStreamOptions> options, IEnumerable<IAuditSink> sinks, TimeProvider time, ILogger<AuditStreamWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!sinks.Any())
        {
            return;
        }
        // The first run waits one interval too: a starting instance has its database and sinks settle first.
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await StreamAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task StreamAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditStreamer>().StreamDueAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not stream the audit log to its sinks; will try again.");
        }
    }
}

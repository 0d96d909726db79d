using AccessTokenPanel.Domain.Notices;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Notices;

/// <summary>
/// On every instance: looks for tokens that crossed an expiry threshold (<see cref="NoticeOptions.ScanInterval"/>)
/// and sends due deliveries (<see cref="NoticeOptions.DispatchInterval"/>). The database decides
/// which instance raises a notice and which sends a delivery, so running it everywhere is safe.
/// </summary>
public sealed class NoticeWorker(IServiceScopeFactory scopes, IOptions<NoticeOptions> options, TimeProvider time, ILogger<NoticeWorker> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            RepeatAsync(options.Value.ScanInterval, ScanAsync, stoppingToken),
            RepeatAsync(options.Value.DispatchInterval, DispatchAsync, stoppingToken));

    private async Task RepeatAsync(TimeSpan interval, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                await work(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var raised = await scope.ServiceProvider.GetRequiredService<ExpiryNoticeScanner>().ScanAsync(cancellationToken);
            // The token policy's idle revocation and the service accounts that lost their last owner, on the same schedule.
            var (idleNoticed, idleRevoked) = await scope.ServiceProvider.GetRequiredService<Domain.Policies.IdleTokenScanner>().ScanAsync(cancellationToken);
            var ownerless = await scope.ServiceProvider.GetRequiredService<Domain.ServiceAccounts.ServiceAccounts>().ScanOwnerlessAsync(cancellationToken);
            if (raised + idleNoticed + idleRevoked + ownerless > 0)
            {
                logger.LogInformation("Raised {Count} token expiry notices, {IdleNoticed} idle notices, revoked {IdleRevoked} idle tokens, {Ownerless} service accounts without an owner.",
                    raised, idleNoticed, idleRevoked, ownerless);
                await DispatchAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not look for tokens that expire soon; will try again.");
        }
    }

    public async Task DispatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NoticeDispatcher>().DispatchDueAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not send token notices; will try again.");
        }
    }
}

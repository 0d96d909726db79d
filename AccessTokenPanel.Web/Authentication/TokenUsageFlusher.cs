using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Authentication;

public sealed class TokenUsageOptions
{
    public const string Section = "Api:TokenUsage";

    /// <summary>How often recorded token uses are written to the database.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Writes <see cref="TokenUsageRecorder"/>'s pending uses (one update per used token per interval,
/// and a last one at shutdown), <see cref="TokenUsageCounts"/>' daily counts, refusals and client
/// addresses (added to the stored history, see <see cref="TokenUsageHistory"/>) and
/// <see cref="AddressRefusalAudit"/>'s counted refusals (one audit entry per token and refused
/// address per interval).
/// </summary>
public sealed class TokenUsageFlusher(
    TokenUsageRecorder recorder,
    TokenUsageCounts counts,
    AddressRefusalAudit addressRefusals,
    IServiceScopeFactory scopes,
    IOptions<TokenUsageOptions> options,
    TimeProvider time,
    ILogger<TokenUsageFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>How long the last flush at shutdown may take.</summary>
    public static readonly TimeSpan FinalFlushBudget = TimeSpan.FromSeconds(10);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The server stopped before this (requests are done), so nothing is counted after it. Not
        // on the host's deadline: slow requests may have spent it, and these counts live nowhere else.
        using var budget = new CancellationTokenSource(FinalFlushBudget);
        await FlushAsync(budget.Token);
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await FlushAddressRefusalsAsync(cancellationToken);
        await FlushUsageHistoryAsync(cancellationToken);
        var usages = recorder.Drain();
        if (usages.Count == 0)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
            foreach (var (tokenId, usage) in usages)
            {
                await db.AccessTokens
                    .Where(t => t.Id == tokenId && (t.LastUsedAt == null || t.LastUsedAt < usage.At))
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(t => t.LastUsedAt, usage.At)
                        .SetProperty(t => t.LastUsedFrom, usage.From), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            recorder.Restore(usages);
            logger.LogWarning(ex, "Could not record the last use of {Count} tokens; will retry.", usages.Count);
        }
    }

    private async Task FlushUsageHistoryAsync(CancellationToken cancellationToken)
    {
        if (counts.IsEmpty)
        {
            return;
        }
        var batch = counts.Drain();
        if (batch.Dropped > 0)
        {
            logger.LogWarning("{Dropped} token calls were not counted in the usage history: more than {Limit} tokens and days were pending at once.",
                batch.Dropped, TokenUsageCounts.MaxKeys);
        }
        if (batch.IsEmpty)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TokenUsageHistory>().WriteAsync(batch, cancellationToken);
        }
        catch (Exception ex)
        {
            // The write is one transaction: nothing of it was kept, so putting it all back counts nothing twice.
            // Also when cancelled at shutdown: the final flush (StopAsync) tries again.
            counts.Restore(batch with { Dropped = 0 });
            if (ex is OperationCanceledException)
            {
                throw;
            }
            logger.LogWarning(ex, "Could not write the usage history of {Count} tokens; will retry.",
                batch.Requests.Select(r => r.TokenId).Concat(batch.Refusals.Select(r => r.TokenId)).Distinct().Count());
        }
    }

    private async Task FlushAddressRefusalsAsync(CancellationToken cancellationToken)
    {
        if (addressRefusals.IsEmpty)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            if (addressRefusals.DrainInto(audit) > 0)
            {
                await scope.ServiceProvider.GetRequiredService<PanelDbContext>().SaveChangesAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Lost, not retried: a database that cannot take audit entries now would only pile them up.
            logger.LogWarning(ex, "Could not write the audit entries for calls refused by token address allowlists.");
        }
    }
}

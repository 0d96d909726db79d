using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Domain.Notices;

/// <summary>
/// Sends due deliveries. Each is claimed with a conditional update (a lease), so with several
/// instances one sends it; a failed attempt is retried later with a growing delay, up to
/// <see cref="NoticeOptions.MaxAttempts"/>. An instance that dies after sending and before
/// recording it leaves the lease to run out and the delivery to be sent again: receivers see the
/// same delivery id and can drop the repeat.
/// </summary>
public sealed class NoticeDispatcher(
    PanelDbContext db,
    IEnumerable<INoticeChannel> channels,
    IOptions<NoticeOptions> options,
    TimeProvider time,
    ILogger<NoticeDispatcher> logger)
{
    public const int BatchSize = 20;

    /// <summary>Sends what is due now; returns how many deliveries were attempted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.NoticeDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil <= now))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
            .Select(d => d.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var attempted = 0;
        foreach (var deliveryId in due)
        {
            var claimedAt = time.GetUtcNow().UtcDateTime;
            var claimed = await db.NoticeDeliveries
                .Where(d => d.Id == deliveryId && d.Status == DeliveryStatus.Pending && (d.LeaseUntil == null || d.LeaseUntil <= claimedAt))
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.LeaseUntil, claimedAt + settings.DeliveryLease), cancellationToken);
            if (claimed != 1)
            {
                continue;
            }
            attempted++;
            await AttemptAsync(deliveryId, settings, cancellationToken);
        }
        return attempted;
    }

    private async Task AttemptAsync(Guid deliveryId, NoticeOptions settings, CancellationToken cancellationToken)
    {
        var row = await (
                from d in db.NoticeDeliveries.AsNoTracking()
                join n in db.TokenNotices.AsNoTracking() on d.NoticeId equals n.Id
                join u in db.Users.AsNoTracking() on n.OwnerId equals u.Id
                where d.Id == deliveryId
                select new { Delivery = d, Notice = n, u.Email, u.DisplayName, u.PreferredLanguage })
            .SingleAsync(cancellationToken);
        var message = new NoticeMessage(row.Notice, row.Email, string.IsNullOrWhiteSpace(row.DisplayName) ? row.Email ?? "" : row.DisplayName,
            row.PreferredLanguage);
        var channel = channels.FirstOrDefault(c => c.Channel == row.Delivery.Channel && c.IsEnabled);
        var target = channel?.TargetFor(message);
        DeliveryAttempt attempt;
        if (channel is null)
        {
            attempt = DeliveryAttempt.Failure($"The {row.Delivery.Channel.ToString().ToLowerInvariant()} channel is no longer configured.");
        }
        else if (target is null)
        {
            attempt = DeliveryAttempt.Failure("There is nowhere to send it (the owner has no email address).");
        }
        else
        {
            try
            {
                attempt = await channel.SendAsync(message, deliveryId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                attempt = DeliveryAttempt.Failure(ex.Message);
            }
        }

        Telemetry.PanelMetrics.NoticeDelivery(row.Delivery.Channel.ToString().ToLowerInvariant(), attempt.Delivered);
        var now = time.GetUtcNow().UtcDateTime;
        var attempts = row.Delivery.Attempts + 1;
        // A missing channel or address will not fix itself between retries.
        var final = attempt.Delivered || channel is null || target is null || attempts >= settings.MaxAttempts;
        var status = attempt.Delivered ? DeliveryStatus.Delivered : final ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        var error = attempt.Error is { Length: > NoticeDelivery.LastErrorMaxLength } e ? e[..NoticeDelivery.LastErrorMaxLength] : attempt.Error;
        var shortTarget = target is { Length: > NoticeDelivery.TargetMaxLength } t ? t[..NoticeDelivery.TargetMaxLength] : target;
        await db.NoticeDeliveries.Where(d => d.Id == deliveryId).ExecuteUpdateAsync(set => set
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.Attempts, attempts)
            .SetProperty(d => d.LastAttemptAt, now)
            .SetProperty(d => d.DeliveredAt, attempt.Delivered ? now : null)
            .SetProperty(d => d.NextAttemptAt, final ? row.Delivery.NextAttemptAt : now + settings.RetryDelayAfter(attempts))
            .SetProperty(d => d.LeaseUntil, (DateTime?)null)
            .SetProperty(d => d.Target, shortTarget)
            .SetProperty(d => d.LastError, error), CancellationToken.None);
        if (!attempt.Delivered)
        {
            logger.LogWarning("Notice delivery {DeliveryId} by {Channel} failed (attempt {Attempts}): {Error}",
                deliveryId, row.Delivery.Channel, attempts, error);
        }
    }
}

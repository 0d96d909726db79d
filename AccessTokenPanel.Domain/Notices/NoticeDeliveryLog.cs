using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Notices;

/// <summary>One line of the delivery log on the Settings page.</summary>
public sealed record NoticeDeliveryLine(
    Guid Id, NoticeChannel Channel, DeliveryStatus Status, int Attempts, DateTime CreatedAt, DateTime? LastAttemptAt,
    DateTime? DeliveredAt, DateTime NextAttemptAt, string? Target, string? LastError, NoticeKind Kind, string TokenName);

/// <summary>Reads the newest deliveries for operators, so a webhook that stopped answering is seen.</summary>
public sealed class NoticeDeliveryLog(PanelDbContext db)
{
    public const int DefaultTake = 50;

    public Task<List<NoticeDeliveryLine>> NewestAsync(int take = DefaultTake, CancellationToken cancellationToken = default) =>
        (from d in db.NoticeDeliveries.AsNoTracking()
         join n in db.TokenNotices.AsNoTracking() on d.NoticeId equals n.Id
         orderby d.CreatedAt descending, d.Id
         select new NoticeDeliveryLine(d.Id, d.Channel, d.Status, d.Attempts, d.CreatedAt, d.LastAttemptAt, d.DeliveredAt,
             d.NextAttemptAt, d.Target, d.LastError, n.Kind, n.TokenName))
        .Take(Math.Clamp(take, 1, 200))
        .ToListAsync(cancellationToken);
}

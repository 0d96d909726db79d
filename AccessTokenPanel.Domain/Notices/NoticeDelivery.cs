namespace AccessTokenPanel.Domain.Notices;

/// <summary>
/// One notice sent (or to be sent) by one channel. The row is the outbox: it is written with the
/// notice, in the same transaction, and a dispatcher on any instance claims it with a lease,
/// sends it, and records the outcome; failures are retried with a growing delay.
/// </summary>
public class NoticeDelivery
{
    public Guid Id { get; set; }
    public Guid NoticeId { get; set; }
    public NoticeChannel Channel { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>When the next attempt is due (while <see cref="DeliveryStatus.Pending"/>).</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>An instance that claimed the delivery holds it until then; after, another may retry it.</summary>
    public DateTime? LeaseUntil { get; set; }

    public DateTime? LastAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }

    /// <summary>Where it went: the email address or the webhook's host, for the delivery log.</summary>
    public string? Target { get; set; }

    /// <summary>Why the last attempt failed (an SMTP reply, an HTTP status); never a secret.</summary>
    public string? LastError { get; set; }

    public const int TargetMaxLength = 320;
    public const int LastErrorMaxLength = 500;
}

public enum NoticeChannel
{
    Email,
    Webhook,
}

public enum DeliveryStatus
{
    Pending,
    Delivered,
    /// <summary>Every attempt failed, or the channel is no longer configured.</summary>
    Failed,
}

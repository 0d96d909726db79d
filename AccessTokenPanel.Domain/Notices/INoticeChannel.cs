namespace AccessTokenPanel.Domain.Notices;

/// <summary>A way notices leave the panel (email, webhook); the host registers the ones it configures.</summary>
public interface INoticeChannel
{
    NoticeChannel Channel { get; }

    /// <summary>Configured by the operator; a notice gets a delivery only for enabled channels.</summary>
    bool IsEnabled { get; }

    /// <summary>Where a delivery of this notice goes, for the log (an address, a host); null when it cannot go anywhere.</summary>
    string? TargetFor(NoticeMessage message);

    /// <summary>Sends once. Expected failures (refused, unreachable) are results; the dispatcher retries them.</summary>
    Task<DeliveryAttempt> SendAsync(NoticeMessage message, Guid deliveryId, CancellationToken cancellationToken);
}

/// <summary>A notice with what a channel needs to send it: the owner's address, name and chosen language (null: none chosen).</summary>
public sealed record NoticeMessage(TokenNotice Notice, string? OwnerEmail, string OwnerName, string? OwnerLanguage = null);

public readonly record struct DeliveryAttempt(bool Delivered, string? Error)
{
    public static DeliveryAttempt Success => new(true, null);
    public static DeliveryAttempt Failure(string error) => new(false, error);
}

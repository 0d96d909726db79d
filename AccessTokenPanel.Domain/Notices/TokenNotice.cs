using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Notices;

/// <summary>
/// Something a token's owner must hear about: the token expires soon, has expired, or was reported
/// leaked. Shown in the panel (the owner's notices) and delivered by each configured channel
/// (<see cref="NoticeDelivery"/>). A token gets at most one notice per <see cref="Key"/>: a unique
/// index makes the database, not an instance, decide who raises it.
/// </summary>
public class TokenNotice
{
    public Guid Id { get; set; }
    /// <summary>The token it is about; null for a notice about a service account (<see cref="NoticeKind.AccountOwnerless"/>), named in <see cref="TokenName"/>.</summary>
    public Guid? TokenId { get; set; }
    public required string OwnerId { get; set; }
    public NoticeKind Kind { get; set; }

    /// <summary>What the notice is once per token for: <c>expires-30d</c>, <c>expired</c>, <c>leaked</c>.</summary>
    public required string Key { get; set; }

    /// <summary>For <see cref="NoticeKind.ExpiresSoon"/>: the threshold that was crossed, in days.</summary>
    public int? ThresholdDays { get; set; }

    /// <summary>The token as it was when the notice was raised (names can change; the notice should not).</summary>
    public required string TokenName { get; set; }
    public ApiType ApiType { get; set; }
    public required string TokenHint { get; set; }
    public DateTime TokenExpiresAt { get; set; }

    /// <summary>More to say, e.g. where a leaked secret was found. Never a secret.</summary>
    public string? Details { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When the owner marked it read in the panel; unread notices make the app bar's badge.</summary>
    public DateTime? ReadAt { get; set; }

    public const int KeyMaxLength = 40;
    public const int DetailsMaxLength = 2000;
}

public enum NoticeKind
{
    ExpiresSoon,
    Expired,
    Leaked,
    /// <summary>Too many wrong step-up codes were sent with the token: its step-up is locked for a while.</summary>
    StepUpLocked,
    /// <summary>A token was created for the owner's account, or a service account they own, by someone else or through an API.</summary>
    Created,
    /// <summary>The token was used from a client address it had not used in the last 30 days.</summary>
    NewAddress,
    /// <summary>The token has not been used for a while and will be revoked in a week unless it is used.</summary>
    IdleSoon,
    /// <summary>The token was revoked because nobody used it for the policy's idle days.</summary>
    IdleRevoked,
    /// <summary>The owner's token request was approved (take the secret) or denied.</summary>
    RequestDecided,
    /// <summary>A token request waits for a decision (to those who may approve it).</summary>
    RequestWaiting,
    /// <summary>A service account has no active owner left (to the administrators of users).</summary>
    AccountOwnerless,
}

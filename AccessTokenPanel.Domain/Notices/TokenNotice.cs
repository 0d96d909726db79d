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
    public Guid TokenId { get; set; }
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
}

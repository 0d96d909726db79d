using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Approvals;

/// <summary>
/// A token that waits for someone else's approval before any secret exists. The requester takes
/// the secret once, with a fresh authentication code, after approval; a request not decided, or
/// not taken, within <see cref="LapseDays"/> lapses.
/// </summary>
public class TokenRequest
{
    public const int LapseDays = 7;
    public const int ReasonMaxLength = 500;

    public Guid Id { get; set; }

    /// <summary>The person who asked (the one who may take the secret).</summary>
    public required string RequesterId { get; set; }

    /// <summary>Whom the token will belong to: the requester, or a service account they own.</summary>
    public required string OwnerId { get; set; }

    public required string Name { get; set; }
    public ApiType ApiType { get; set; }
    public string? DelegatedRole { get; set; }

    /// <summary>The expiry as asked: a number of days counted from when the secret is taken, a date (00:00 UTC), or an instant.</summary>
    public int? ExpiryDays { get; set; }
    public DateOnly? ExpiryDate { get; set; }
    public DateTime? ExpiryInstant { get; set; }

    public string? AllowedAddresses { get; set; }

    public TokenRequestStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DeciderId { get; set; }
    public string? Reason { get; set; }
    public DateTime? TakenAt { get; set; }

    /// <summary>The token issued when the secret was taken.</summary>
    public Guid? TokenId { get; set; }

    /// <summary>When a pending request, or an approved one not taken, lapses.</summary>
    public DateTime LapsesAt => (DecidedAt ?? CreatedAt).AddDays(LapseDays);

    /// <summary>The status as it stands at <paramref name="utcNow"/>: pending and approved requests lapse on their own.</summary>
    public TokenRequestStatus StatusAt(DateTime utcNow) =>
        Status is TokenRequestStatus.Pending or TokenRequestStatus.Approved && LapsesAt <= utcNow ? TokenRequestStatus.Lapsed : Status;

    public TokenExpiry? Expiry =>
        ExpiryDays is { } days ? TokenExpiry.InDays(days)
        : ExpiryDate is { } date ? TokenExpiry.OnDate(date)
        : ExpiryInstant is { } instant ? TokenExpiry.AtInstant(instant)
        : null;
}

public enum TokenRequestStatus
{
    Pending,
    Approved,
    Denied,
    Lapsed,
    /// <summary>Approved and its secret taken: the token exists.</summary>
    Taken,
}

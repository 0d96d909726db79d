using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Notices;

/// <summary>
/// Raises notices into the caller's unit of work: the notice and one delivery per enabled channel
/// are saved with the change that caused them (a leak revocation, an expiry stage) or not at all.
/// </summary>
public sealed class NoticeBoard(PanelDbContext db, IEnumerable<INoticeChannel> channels, TimeProvider time)
{
    public TokenNotice Add(AccessToken token, NoticeKind kind, string key, int? thresholdDays = null, string? details = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var notice = new TokenNotice
        {
            Id = Guid.NewGuid(),
            TokenId = token.Id,
            OwnerId = token.OwnerId,
            Kind = kind,
            Key = key,
            ThresholdDays = thresholdDays,
            TokenName = token.Name,
            ApiType = token.ApiType,
            TokenHint = token.Hint,
            TokenExpiresAt = token.ExpiresAt,
            Details = details is { Length: > TokenNotice.DetailsMaxLength } ? details[..TokenNotice.DetailsMaxLength] : details,
            CreatedAt = now,
        };
        db.TokenNotices.Add(notice);
        foreach (var channel in channels.Where(c => c.IsEnabled).Select(c => c.Channel).Distinct())
        {
            db.NoticeDeliveries.Add(new NoticeDelivery
            {
                Id = Guid.NewGuid(),
                NoticeId = notice.Id,
                Channel = channel,
                Status = DeliveryStatus.Pending,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }
        return notice;
    }

    public static string ExpiresSoonKey(int thresholdDays) => $"expires-{thresholdDays}d";
    public const string ExpiredKey = "expired";
    public const string LeakedKey = "leaked";
    /// <summary>One notice per lockout of a token's step-up (a new lockout later is a new notice).</summary>
    public static string StepUpLockedKey(DateTime lockedUntil) => $"step-up-locked-{lockedUntil:yyyyMMddHHmmss}";
}

using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Notices;

/// <summary>
/// Raises notices into the caller's unit of work: the notice and one delivery per enabled channel
/// are saved with the change that caused them (a leak revocation, an expiry stage) or not at all.
/// </summary>
public sealed class NoticeBoard(PanelDbContext db, IEnumerable<INoticeChannel> channels, TimeProvider time)
{
    /// <summary>A notice about <paramref name="token"/>, told to its owner unless <paramref name="recipientId"/> names someone else (a service account's owner).</summary>
    public TokenNotice Add(AccessToken token, NoticeKind kind, string key, int? thresholdDays = null, string? details = null, string? recipientId = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var notice = new TokenNotice
        {
            Id = Guid.NewGuid(),
            TokenId = token.Id,
            OwnerId = recipientId ?? token.OwnerId,
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
        return Queue(notice, now);
    }

    /// <summary>
    /// The people answerable for <paramref name="token"/>: its owner, or a service account's active
    /// owners; <paramref name="exceptUserId"/> (who caused it) is not told of their own doing.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecipientsAsync(AccessToken token, string? exceptUserId = null, CancellationToken cancellationToken = default)
    {
        var owner = await db.Users.AsNoTracking().Where(u => u.Id == token.OwnerId)
            .Select(u => new { u.IsServiceAccount }).SingleOrDefaultAsync(cancellationToken);
        List<string> people = owner is { IsServiceAccount: true }
            ? await (from o in db.ServiceAccountOwners
                     join u in db.Users on o.UserId equals u.Id
                     where o.ServiceAccountId == token.OwnerId && !u.IsDisabled && u.DeletedAt == null
                     select o.UserId).ToListAsync(cancellationToken)
            : [token.OwnerId];
        return people.Where(p => p != exceptUserId).ToList();
    }

    /// <summary>Tells each person answerable for <paramref name="token"/> (see <see cref="RecipientsAsync"/>).</summary>
    public async Task AddForOwnersAsync(AccessToken token, NoticeKind kind, string key, string? exceptUserId = null, string? details = null,
        CancellationToken cancellationToken = default, int? thresholdDays = null)
    {
        foreach (var recipient in await RecipientsAsync(token, exceptUserId, cancellationToken))
        {
            Add(token, kind, key, thresholdDays, details, recipient);
        }
    }

    /// <summary>A notice about something other than an issued token: a service account with no owner left, a token request decided.</summary>
    public TokenNotice AddWithoutToken(string recipientId, string subjectName, NoticeKind kind, string key, string? details = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return Queue(new TokenNotice
        {
            Id = Guid.NewGuid(),
            TokenId = null,
            OwnerId = recipientId,
            Kind = kind,
            Key = key,
            TokenName = subjectName.Length > TokenRules.MaxNameLength ? subjectName[..TokenRules.MaxNameLength] : subjectName,
            TokenHint = "",
            Details = details is { Length: > TokenNotice.DetailsMaxLength } ? details[..TokenNotice.DetailsMaxLength] : details,
            CreatedAt = now,
        }, now);
    }

    private TokenNotice Queue(TokenNotice notice, DateTime now)
    {
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
    public const string CreatedKey = "created";
    public const string IdleSoonKey = "idle-soon";
    public const string IdleRevokedKey = "idle-revoked";
    /// <summary>At most one new-address notice per token and hour.</summary>
    public static string NewAddressKey(DateTime utcNow) => $"new-address-{utcNow:yyyyMMddHH}";
    /// <summary>One notice per lockout of a token's step-up (a new lockout later is a new notice).</summary>
    public static string StepUpLockedKey(DateTime lockedUntil) => $"step-up-locked-{lockedUntil:yyyyMMddHHmmss}";
}

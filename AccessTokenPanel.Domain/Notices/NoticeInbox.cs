using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Notices;

/// <summary>A user's own notices in the panel: the unread count for the app bar, the list, and marking them read.</summary>
public sealed class NoticeInbox(PanelDbContext db, TimeProvider time)
{
    public const int PageSize = 50;

    public Task<int> CountUnreadAsync(string userId, CancellationToken cancellationToken = default) =>
        db.TokenNotices.CountAsync(n => n.OwnerId == userId && n.ReadAt == null, cancellationToken);

    /// <summary>The newest notices first.</summary>
    public Task<List<TokenNotice>> ListAsync(string userId, int take = PageSize, CancellationToken cancellationToken = default) =>
        db.TokenNotices.AsNoTracking()
            .Where(n => n.OwnerId == userId)
            .OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Id)
            .Take(Math.Clamp(take, 1, PageSize))
            .ToListAsync(cancellationToken);

    /// <summary>Marks the user's notices read (one, or all when <paramref name="noticeId"/> is null); another user's id changes nothing.</summary>
    public Task<int> MarkReadAsync(string userId, Guid? noticeId = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var unread = db.TokenNotices.Where(n => n.OwnerId == userId && n.ReadAt == null);
        if (noticeId is { } id)
        {
            unread = unread.Where(n => n.Id == id);
        }
        return unread.ExecuteUpdateAsync(set => set.SetProperty(n => n.ReadAt, now), cancellationToken);
    }
}

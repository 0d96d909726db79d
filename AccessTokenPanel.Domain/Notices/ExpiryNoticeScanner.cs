using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Domain.Notices;

/// <summary>
/// Finds tokens that crossed an expiry threshold (30, 7, 1 days by default) or expired, and raises
/// one notice for each. Every instance scans; the token's <see cref="AccessToken.ExpiryNoticeStage"/>
/// moves down by a conditional update in the same transaction as the notice, so exactly one
/// instance raises it, once, also after restarts.
/// </summary>
/// <remarks>
/// A token only hears about thresholds it lived through: one issued for 5 days is not told
/// "expires in 7 days" at birth, and tokens that live no longer than the smallest threshold
/// (24-hour programmatic tokens, minute-long access tokens) get no notices at all. A panel that was
/// down across a threshold sends only the current one, not every one it missed.
/// </remarks>
public sealed class ExpiryNoticeScanner(PanelDbContext db, NoticeBoard board, IOptions<NoticeOptions> options, TimeProvider time)
{
    /// <summary>Tokens looked at per threshold per scan; the rest wait for the next scan.</summary>
    public const int BatchSize = 200;

    /// <summary>Raises the notices due now; returns how many this call raised.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var thresholds = settings.EffectiveThresholdDays;
        var now = time.GetUtcNow().UtcDateTime;
        var raised = 0;
        for (var i = 0; i < thresholds.Length; i++)
        {
            var stage = thresholds[i];
            var upper = now.AddDays(stage);
            var lower = i + 1 < thresholds.Length ? now.AddDays(thresholds[i + 1]) : now;
            raised += await RaiseStageAsync(Due(stage).Where(t => t.ExpiresAt > lower && t.ExpiresAt <= upper), stage, thresholds[^1], cancellationToken);
        }
        var expiredSince = now - settings.ExpiredNoticeWindow;
        raised += await RaiseStageAsync(Due(0).Where(t => t.ExpiresAt > expiredSince && t.ExpiresAt <= now), 0, thresholds[^1], cancellationToken);
        return raised;
    }

    // Long-lived, live tokens not yet past this stage. Rotated tokens are left out: their end is the
    // overlap their owner chose, and the replacement carries the expiry on.
    private IQueryable<AccessToken> Due(int stage) => db.AccessTokens.AsNoTracking().Where(t =>
        t.Kind == TokenKind.Standard && t.RevokedAt == null && t.RotatedAt == null
        && (t.ExpiryNoticeStage == null || t.ExpiryNoticeStage > stage));

    private async Task<int> RaiseStageAsync(IQueryable<AccessToken> due, int stage, int smallestThreshold, CancellationToken cancellationToken)
    {
        var tokens = await due.OrderBy(t => t.ExpiresAt).ThenBy(t => t.Id).Take(BatchSize).ToListAsync(cancellationToken);
        var raised = 0;
        foreach (var token in tokens)
        {
            var lifetime = token.ExpiresAt - token.CreatedAt;
            if (lifetime <= TimeSpan.FromDays(smallestThreshold))
            {
                await MoveStageAsync(token.Id, 0, cancellationToken);
            }
            else if (stage > 0 && lifetime <= TimeSpan.FromDays(stage))
            {
                await MoveStageAsync(token.Id, stage, cancellationToken);
            }
            else if (await RaiseOnceAsync(token, stage, cancellationToken))
            {
                raised++;
            }
        }
        return raised;
    }

    private async Task<bool> RaiseOnceAsync(AccessToken token, int stage, CancellationToken cancellationToken)
    {
        // The first statement is the write, so on SQLite the transaction holds the write lock from
        // the start; on server databases the row lock keeps a second instance waiting, then finding
        // the stage already moved.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await MoveStageAsync(token.Id, stage, cancellationToken) != 1)
        {
            return false;
        }
        if (stage == 0)
        {
            // A service account's token: each of its active owners is told.
            await board.AddForOwnersAsync(token, NoticeKind.Expired, NoticeBoard.ExpiredKey, cancellationToken: cancellationToken);
        }
        else
        {
            await board.AddForOwnersAsync(token, NoticeKind.ExpiresSoon, NoticeBoard.ExpiresSoonKey(stage), cancellationToken: cancellationToken, thresholdDays: stage);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    private Task<int> MoveStageAsync(Guid tokenId, int stage, CancellationToken cancellationToken) =>
        db.AccessTokens
            .Where(t => t.Id == tokenId && (t.ExpiryNoticeStage == null || t.ExpiryNoticeStage > stage))
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiryNoticeStage, stage), cancellationToken);
}

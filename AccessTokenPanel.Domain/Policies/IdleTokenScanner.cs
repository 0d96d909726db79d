using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Policies;

/// <summary>
/// Idle revocation (<see cref="Authorization.Operations.RevokeIdleTokens"/>, the panel's own work):
/// where an API's policy sets <see cref="TokenPolicy.IdleRevocationDays"/>, a live long-lived token
/// not used for that many days minus a week gets one notice (to its owner, or a service account's
/// owners), and is revoked once it has stayed unused for a week after that notice. A use in between
/// voids the notice. The database decides which instance notices and revokes (conditional updates).
/// </summary>
public sealed class IdleTokenScanner(PanelDbContext db, TokenPolicies policies, TokenRevoker revoker, NoticeBoard notices, TimeProvider time)
{
    public const int BatchSize = 500;

    /// <returns>How many tokens were noticed and how many revoked.</returns>
    public async Task<(int Noticed, int Revoked)> ScanAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        int noticed = 0, revoked = 0;
        foreach (var policy in (await policies.GetAllAsync(cancellationToken)).Values.Where(p => p.IdleRevocationDays is not null))
        {
            var api = policy.ApiType;
            var idleDays = policy.IdleRevocationDays!.Value;
            var noticeBefore = now.AddDays(-(idleDays - TokenPolicy.IdleNoticeDays));
            var live = db.AccessTokens.Where(t => t.ApiType == api && t.Kind == TokenKind.Standard && t.RevokedAt == null && t.ExpiresAt > now);

            // Revoke first: unused since a notice that is at least a week old.
            var noticedBefore = now.AddDays(-TokenPolicy.IdleNoticeDays);
            var due = await live
                .Where(t => t.IdleNoticeAt != null && t.IdleNoticeAt <= noticedBefore && (t.LastUsedAt ?? t.CreatedAt) < t.IdleNoticeAt)
                .OrderBy(t => t.Id).Take(BatchSize).AsNoTracking().ToListAsync(cancellationToken);
            foreach (var token in due)
            {
                var recipients = await notices.RecipientsAsync(token, cancellationToken: cancellationToken);
                // The notice is saved with the revocation, and only by the instance whose update revoked it.
                var count = await revoker.RevokeManyAsync([token.Id], null,
                    $"by the token policy: not used for {idleDays} days", cancellationToken,
                    won =>
                    {
                        foreach (var recipient in won.Contains(token.Id) ? recipients : [])
                        {
                            notices.Add(token, NoticeKind.IdleRevoked, NoticeBoard.IdleRevokedKey,
                                details: idleDays.ToString(System.Globalization.CultureInfo.InvariantCulture), recipientId: recipient);
                        }
                    }, Telemetry.RevocationCause.Idle);
                revoked += count > 0 ? 1 : 0;
            }

            // Then tell the owners of tokens idle long enough, once per idle spell.
            var idle = await live
                .Where(t => (t.LastUsedAt ?? t.CreatedAt) < noticeBefore && (t.IdleNoticeAt == null || t.IdleNoticeAt < (t.LastUsedAt ?? t.CreatedAt)))
                .OrderBy(t => t.Id).Take(BatchSize).AsNoTracking().ToListAsync(cancellationToken);
            foreach (var token in idle)
            {
                var previous = token.IdleNoticeAt;
                var claimed = await db.AccessTokens
                    .Where(t => t.Id == token.Id && t.IdleNoticeAt == previous)
                    .ExecuteUpdateAsync(set => set.SetProperty(t => t.IdleNoticeAt, now), cancellationToken);
                if (claimed != 1)
                {
                    continue;
                }
                await notices.AddForOwnersAsync(token, NoticeKind.IdleSoon, $"{NoticeBoard.IdleSoonKey}-{now:yyyyMMddHHmmss}",
                    details: now.AddDays(TokenPolicy.IdleNoticeDays).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    cancellationToken: cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                noticed++;
            }
        }
        return (noticed, revoked);
    }
}

using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>The live access tokens exchanged for one long-lived token: how many, and when the last one expires.</summary>
public sealed record DerivedTokenSummary(Guid ParentTokenId, int ActiveCount, DateTime LatestExpiresAt);

/// <summary>
/// For token lists: access tokens are shown as a line under their parent (count, latest expiry)
/// rather than as rows of their own, so a list reader leaves <see cref="TokenKind.Access"/> rows out
/// and asks this for the summaries of the parents on its page.
/// </summary>
public sealed class DerivedTokenSummaries(PanelDbContext db, TimeProvider time)
{
    public async Task<IReadOnlyDictionary<Guid, DerivedTokenSummary>> ForParentsAsync(
        IReadOnlyCollection<Guid> parentIds, CancellationToken cancellationToken = default)
    {
        if (parentIds.Count == 0)
        {
            return new Dictionary<Guid, DerivedTokenSummary>();
        }
        var now = time.GetUtcNow().UtcDateTime;
        var live = await db.AccessTokens.AsNoTracking()
            .Where(t => t.Kind == TokenKind.Access && t.ParentTokenId != null && parentIds.Contains(t.ParentTokenId.Value)
                && t.RevokedAt == null && t.ExpiresAt > now)
            .Select(t => new { ParentId = t.ParentTokenId!.Value, t.ExpiresAt })
            .ToListAsync(cancellationToken);
        return live.GroupBy(t => t.ParentId)
            .ToDictionary(g => g.Key, g => new DerivedTokenSummary(g.Key, g.Count(), g.Max(t => t.ExpiresAt)));
    }
}

using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

public enum RevokeOutcome
{
    Revoked,
    AlreadyRevoked,
    /// <summary>No such token, or one the actor may not see: the two are not told apart.</summary>
    NotFound,
}

/// <summary>Is told the ids of tokens that stopped working, e.g. to drop them from a cache.</summary>
public interface ITokenRevocationObserver
{
    void OnRevoked(IReadOnlyCollection<Guid> tokenIds);
}

/// <summary>Revokes tokens (the UI calls it "delete"); tokens issued with a revoked token go too.</summary>
public sealed class TokenRevoker(
    PanelDbContext db,
    PermissionResolver permissions,
    AuditLog audit,
    TimeProvider time,
    IEnumerable<ITokenRevocationObserver> observers)
{
    /// <summary>Revokes one token: the actor's own, or anyone's when they hold <see cref="Permission.TokensRevokeAll"/>.</summary>
    public async Task<RevokeOutcome> RevokeAsync(Guid tokenId, string actorId, CancellationToken cancellationToken = default)
    {
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null)
        {
            return RevokeOutcome.NotFound;
        }
        if (token.OwnerId != actorId
            && !(await permissions.GetPermissionsAsync(actorId, cancellationToken)).Contains(Permission.TokensRevokeAll))
        {
            return RevokeOutcome.NotFound;
        }
        if (token.RevokedAt is not null)
        {
            return RevokeOutcome.AlreadyRevoked;
        }
        await RevokeWithDescendantsAsync([token], actorId, cancellationToken);
        return RevokeOutcome.Revoked;
    }

    /// <summary>Revokes every live token a user owns; returns how many.</summary>
    public async Task<int> RevokeAllAsync(string ownerId, string actorId, CancellationToken cancellationToken = default)
    {
        var tokens = await db.AccessTokens.Where(t => t.OwnerId == ownerId && t.RevokedAt == null).ToListAsync(cancellationToken);
        return await RevokeWithDescendantsAsync(tokens, actorId, cancellationToken);
    }

    private async Task<int> RevokeWithDescendantsAsync(List<AccessToken> tokens, string actorId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var revoked = new List<Guid>();
        var frontier = tokens;
        while (frontier.Count > 0)
        {
            foreach (var token in frontier.Where(t => t.RevokedAt is null))
            {
                token.RevokedAt = now;
                token.RevokedById = actorId;
                revoked.Add(token.Id);
                audit.Record(actorId, AuditActions.TokenRevoked, "token", token.Id.ToString(),
                    $"{token.ApiType.DisplayName()} token '{token.Name}' ({token.Hint}) of user {token.OwnerId}");
            }
            var parentIds = frontier.Select(t => t.Id).ToList();
            frontier = await db.AccessTokens
                .Where(t => t.ParentTokenId != null && parentIds.Contains(t.ParentTokenId.Value) && t.RevokedAt == null)
                .ToListAsync(cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var observer in observers)
        {
            observer.OnRevoked(revoked);
        }
        return revoked.Count;
    }
}

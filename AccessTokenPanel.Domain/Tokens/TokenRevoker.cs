using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Telemetry;
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

/// <summary>
/// Revokes tokens (the UI calls it "delete"); tokens issued with a revoked token go too. Revoking is
/// idempotent under concurrency: each token is revoked by one conditional update (only while
/// <c>RevokedAt</c> is null), and only the request whose update took effect writes the audit entry.
/// </summary>
public sealed class TokenRevoker(
    PanelDbContext db,
    OperationGuard guard,
    AuditLog audit,
    NoticeBoard notices,
    TimeProvider time,
    IEnumerable<ITokenRevocationObserver> observers)
{
    /// <summary>
    /// <see cref="Operations.RevokeToken"/>: the actor's own token, or anyone's with
    /// <see cref="Permission.TokensRevokeAll"/> unless the owner outranks them.
    /// </summary>
    public async Task<Result<RevokeOutcome>> RevokeAsync(Actor actor, Guid tokenId, CancellationToken cancellationToken = default)
    {
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null)
        {
            return NotFound;
        }
        if (await guard.AuthorizeAsync(actor, Operations.RevokeToken, token.OwnerId, NotFound, cancellationToken) is { } refused)
        {
            return refused;
        }
        if (token.RevokedAt is not null)
        {
            return Result<RevokeOutcome>.Ok(RevokeOutcome.AlreadyRevoked);
        }
        var revoked = await RevokeWithDescendantsAsync([token.Id], actor.UserId, actor.Via, null, cancellationToken);
        // Losing the race to a parallel revoke of the same token is the same answer as coming second.
        return Result<RevokeOutcome>.Ok(revoked.Contains(token.Id) ? RevokeOutcome.Revoked : RevokeOutcome.AlreadyRevoked);
    }

    /// <summary>The refusal for a token that is not there, or not one the actor may see: never told apart.</summary>
    public static readonly DomainError NotFound = new(TokenErrorCodes.TokenNotFound, TokenFields.Token,
        "There is no such token, or it is not one you may manage.", ErrorKind.NotFound);

    /// <summary><see cref="Operations.RevokeOwnTokens"/>: every live token of the actor's own; returns how many.</summary>
    public async Task<Result<int>> RevokeOwnAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.RevokeOwnTokens, actor.UserId, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        return Result<int>.Ok(await RevokeAllAsync(actor.UserId!, actor.UserId, cancellationToken, actor.Via));
    }

    /// <summary>Revokes every live token a user owns; returns how many. For operations that authorized the actor already (deleting a user).</summary>
    internal async Task<int> RevokeAllAsync(string ownerId, string? actorId, CancellationToken cancellationToken = default, string? via = null)
    {
        var ids = await db.AccessTokens.Where(t => t.OwnerId == ownerId && t.RevokedAt == null).Select(t => t.Id).ToListAsync(cancellationToken);
        return (await RevokeWithDescendantsAsync(ids, actorId, via, null, cancellationToken)).Count;
    }

    /// <summary>Revokes the given tokens and their descendants; returns how many this call revoked. For operations that authorized the actor already.</summary>
    internal async Task<int> RevokeManyAsync(List<Guid> tokenIds, string? actorId, string? reason, CancellationToken cancellationToken = default,
        Action<List<Guid>>? beforeSave = null, RevocationCause? cause = null) =>
        (await RevokeWithDescendantsAsync(tokenIds, actorId, reason, beforeSave, cancellationToken, cause)).Count;

    /// <summary>
    /// Revokes a token whose secret a secret scanner reported as published, with the tokens issued
    /// with it. No user acts: the audit entries and <see cref="AccessToken.RevokedById"/> name no
    /// actor (the audit shows "System") and say that secret scanning did it. Every report of one of
    /// our tokens is audited as <see cref="AuditActions.TokenLeakReported"/> with where it was seen;
    /// the owner gets a <see cref="NoticeKind.Leaked"/> notice, in the same transaction, only when
    /// this report's revocation took effect: a repeated report, or one of a token revoked before for
    /// another reason, raises none (and so never meets the one-notice-per-token-and-key index).
    /// </summary>
    /// <returns><see cref="RevokeOutcome.Revoked"/> when this call revoked it, <see cref="RevokeOutcome.AlreadyRevoked"/>
    /// when it was revoked before, <see cref="RevokeOutcome.NotFound"/> when there is no such token.</returns>
    public async Task<RevokeOutcome> RevokeLeakedAsync(Guid tokenId, LeakSighting sighting, CancellationToken cancellationToken = default)
    {
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null)
        {
            return RevokeOutcome.NotFound;
        }
        var where = sighting.Describe();
        // Told with the revocation, in its unit of work: the owner, or a service account's active owners.
        var recipients = await notices.RecipientsAsync(token, cancellationToken: cancellationToken);
        // Even when it turns out to be revoked already, the conditional update runs: it is what makes
        // two simultaneous reports of one token agree on which of them revoked it.
        var revoked = await RevokeWithDescendantsAsync([token.Id], null, $"by secret scanning: the secret of token {token.Id} was reported leaked, {where}",
            won =>
            {
                var tookEffect = won.Contains(token.Id);
                audit.Record(null, AuditActions.TokenLeakReported, "token", token.Id.ToString(),
                    $"Secret scanning reported the secret of {token.ApiType.DisplayName()} token '{token.Name}' ({token.Hint}) of user {token.OwnerId}"
                    + $" as leaked, {where}; {(tookEffect ? "the token was revoked" : "the token was already revoked")}");
                foreach (var recipient in tookEffect ? recipients : [])
                {
                    notices.Add(token, NoticeKind.Leaked, NoticeBoard.LeakedKey, details: sighting.Url, recipientId: recipient);
                }
            },
            cancellationToken);
        return revoked.Contains(token.Id) ? RevokeOutcome.Revoked : RevokeOutcome.AlreadyRevoked;
    }

    // reason: said in each revocation's audit entry after the token's description, when given.
    // beforeSave: adds to the same unit of work once the updates ran, given the ids this call revoked.
    private async Task<List<Guid>> RevokeWithDescendantsAsync(
        List<Guid> tokenIds, string? actorId, string? reason, Action<List<Guid>>? beforeSave, CancellationToken cancellationToken,
        RevocationCause? cause = null)
    {
        if (tokenIds.Count == 0)
        {
            return [];
        }
        var now = time.GetUtcNow().UtcDateTime;
        var revoked = new List<Guid>();
        // The updates and their audit entries commit together or not at all. The first statement is a
        // write, so on SQLite the transaction takes the write lock before it reads anything.
        await using var transaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        var frontier = tokenIds;
        while (frontier.Count > 0)
        {
            var won = new List<Guid>();
            foreach (var id in frontier)
            {
                var updated = await db.AccessTokens
                    .Where(t => t.Id == id && t.RevokedAt == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedById, actorId), cancellationToken);
                if (updated == 1)
                {
                    won.Add(id);
                }
            }
            var described = await db.AccessTokens.AsNoTracking().Where(t => won.Contains(t.Id))
                .Select(t => new { t.Id, t.ApiType, t.Name, t.Hint, t.OwnerId }).ToListAsync(cancellationToken);
            foreach (var token in described.OrderBy(t => won.IndexOf(t.Id)))
            {
                audit.Record(actorId, AuditActions.TokenRevoked, "token", token.Id.ToString(),
                    $"{token.ApiType.DisplayName()} token '{token.Name}' ({token.Hint}) of user {token.OwnerId}" + (reason is null ? "" : $", {reason}"));
                // No acting user is a secret scanner's report; derived tokens count under their revoker's cause.
                PanelMetrics.TokenRevoked(cause ?? (actorId is null ? RevocationCause.Leak : actorId == token.OwnerId ? RevocationCause.User : RevocationCause.Admin));
            }
            revoked.AddRange(won);
            frontier = await db.AccessTokens
                .Where(t => t.ParentTokenId != null && won.Contains(t.ParentTokenId.Value) && t.RevokedAt == null)
                .Select(t => t.Id)
                .ToListAsync(cancellationToken);
        }
        beforeSave?.Invoke(revoked);
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        // Entities this context already tracks would otherwise keep saying the token is live.
        foreach (var entry in db.ChangeTracker.Entries<AccessToken>().Where(e => revoked.Contains(e.Entity.Id)))
        {
            entry.Property(t => t.RevokedAt).CurrentValue = now;
            entry.Property(t => t.RevokedAt).OriginalValue = now;
            entry.Property(t => t.RevokedById).CurrentValue = actorId;
            entry.Property(t => t.RevokedById).OriginalValue = actorId;
        }
        if (revoked.Count > 0)
        {
            foreach (var observer in observers)
            {
                observer.OnRevoked(revoked);
            }
        }
        return revoked;
    }
}

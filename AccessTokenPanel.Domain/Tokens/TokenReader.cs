using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// Reading tokens for an actor: <see cref="Operations.ListOwnTokens"/> and <see cref="Operations.ReadToken"/>
/// (the actor's own, or anyone's with the inventory permission; someone else's token without it
/// reads exactly like a missing one).
/// </summary>
public sealed class TokenReader(PanelDbContext db, OperationGuard guard, TokenUsageHistory history)
{
    public static readonly DomainError NotFound = new(TokenErrorCodes.TokenNotFound, TokenFields.Token, "You have no token with this id.", ErrorKind.NotFound);

    /// <summary>The actor's own tokens, newest first; <paramref name="kind"/> keeps one kind only.</summary>
    public async Task<Result<List<AccessToken>>> ListOwnAsync(Actor actor, TokenKind? kind = null, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.ListOwnTokens, actor.UserId, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        var query = db.AccessTokens.AsNoTracking().Where(t => t.OwnerId == actor.UserId);
        if (kind is { } wanted)
        {
            query = query.Where(t => t.Kind == wanted);
        }
        return Result<List<AccessToken>>.Ok(await query.OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken));
    }

    public async Task<Result<AccessToken>> FindAsync(Actor actor, Guid tokenId, CancellationToken cancellationToken = default)
    {
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null)
        {
            return NotFound;
        }
        return await guard.AuthorizeAsync(actor, Operations.ReadToken, token.OwnerId, NotFound, cancellationToken) is { } refused
            ? refused
            : Result<AccessToken>.Ok(token);
    }

    /// <summary>A token's last <see cref="TokenUsageHistory.RetainedDays"/> days of use, if the actor may read the token.</summary>
    public async Task<Result<TokenUsageReport>> ReadUsageAsync(Actor actor, Guid tokenId, CancellationToken cancellationToken = default)
    {
        var ownerId = await db.AccessTokens.AsNoTracking().Where(t => t.Id == tokenId).Select(t => t.OwnerId).SingleOrDefaultAsync(cancellationToken);
        if (ownerId is null)
        {
            return NotFound;
        }
        return await guard.AuthorizeAsync(actor, Operations.ReadToken, ownerId, NotFound, cancellationToken) is { } refused
            ? refused
            : Result<TokenUsageReport>.Ok(await history.ReadAsync(tokenId, cancellationToken));
    }
}

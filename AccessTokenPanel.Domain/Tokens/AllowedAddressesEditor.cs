using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

public enum AllowedAddressesOutcome
{
    Changed,
    Unchanged,
    /// <summary>No such token, or one the actor may not manage: the two are not told apart.</summary>
    NotFound,
    /// <summary>The list is malformed or too long, or the token is revoked or expired.</summary>
    Invalid,
    /// <summary>The owner outranks the actor, or the actor may not do this at all (see the error).</summary>
    Forbidden,
    /// <summary>The change widens the list and the actor's step-up code was missing or wrong.</summary>
    StepUpFailed,
}

public sealed record AllowedAddressesResult(AllowedAddressesOutcome Outcome, IReadOnlyList<DomainError> Errors, AccessToken? Token = null)
{
    public bool Succeeded => Outcome is AllowedAddressesOutcome.Changed or AllowedAddressesOutcome.Unchanged;
}

/// <summary>
/// <see cref="Operations.SetAllowedAddresses"/>: changes a token's allowed client addresses after
/// issuance; the owner, or whoever may revoke anyone's token and is not outranked by the owner. An
/// empty list allows every address again. Narrowing needs nothing more; widening (an address the
/// list did not let in, or removing the list) needs the actor's step-up code, like rotation. The
/// live access tokens derived from it get the same list, since they act for it.
/// </summary>
public sealed class AllowedAddressesEditor(PanelDbContext db, OperationGuard guard, AuditLog audit, TimeProvider time)
{
    public async Task<AllowedAddressesResult> SetAsync(Actor actor, Guid tokenId, IEnumerable<string?>? entries, CancellationToken cancellationToken = default)
    {
        var notFound = new DomainError(TokenErrorCodes.TokenNotFound, TokenFields.Token, "There is no such token, or it is not one you may manage.", ErrorKind.NotFound);
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null)
        {
            return new(AllowedAddressesOutcome.NotFound, [notFound]);
        }
        if (await guard.AuthorizeAsync(actor, Operations.SetAllowedAddresses, token.OwnerId, notFound, cancellationToken) is { } refused)
        {
            return new(refused.Kind == ErrorKind.NotFound ? AllowedAddressesOutcome.NotFound : AllowedAddressesOutcome.Forbidden, [refused]);
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (token.StatusAt(now) != TokenStatus.Active)
        {
            return new(AllowedAddressesOutcome.Invalid, [new(TokenErrorCodes.TokenNotRotatable, TokenFields.Token,
                "The token no longer works (deleted or expired): there is nothing to restrict.", ErrorKind.Conflict)]);
        }
        if (token.Kind == TokenKind.Access)
        {
            return new(AllowedAddressesOutcome.Invalid, [new(TokenErrorCodes.TokenNotRotatable, TokenFields.Token,
                "Access tokens take their allowed addresses from the long-lived token they came from: change that one.", ErrorKind.Conflict)]);
        }
        var parsed = AddressAllowlist.Parse(entries);
        if (!parsed.Succeeded)
        {
            return new(AllowedAddressesOutcome.Invalid, parsed.Errors);
        }
        var stored = parsed.Stored;
        if (stored == token.AllowedAddresses)
        {
            return new(AllowedAddressesOutcome.Unchanged, [], token);
        }
        if (AddressAllowlist.Widens(token.AllowedAddresses, stored) && await guard.StepUpAsync(actor, cancellationToken) is { } stepUp)
        {
            return new(AllowedAddressesOutcome.StepUpFailed, [stepUp]);
        }

        var previous = token.AllowedAddresses;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Conditional on the list this decision was made from: a change that committed meanwhile
        // (which could make this one a widening without a code) wins, and this one is refused.
        var changed = await db.AccessTokens
            .Where(t => t.Id == token.Id && t.AllowedAddresses == previous && t.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.AllowedAddresses, stored), cancellationToken);
        if (changed != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new(AllowedAddressesOutcome.Invalid, [new(TokenErrorCodes.TokenNotRotatable, TokenFields.Token,
                "The token was changed or deleted meanwhile. Reload it and try again.", ErrorKind.Conflict)]);
        }
        await db.AccessTokens
            .Where(t => t.ParentTokenId == token.Id && t.Kind == TokenKind.Access && t.RevokedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.AllowedAddresses, stored), cancellationToken);
        audit.Record(actor.UserId, AuditActions.TokenAllowedAddressesChanged, "token", token.Id.ToString(),
            $"{token.ApiType.DisplayName()} token '{token.Name}' ({token.Hint}) of user {token.OwnerId}: allowed addresses "
            + $"{previous ?? "any"} → {stored ?? "any"}, {actor.Via}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // The tracked copy says what the database now says.
        db.Entry(token).Property(t => t.AllowedAddresses).CurrentValue = stored;
        db.Entry(token).Property(t => t.AllowedAddresses).OriginalValue = stored;
        return new(AllowedAddressesOutcome.Changed, [], token);
    }
}

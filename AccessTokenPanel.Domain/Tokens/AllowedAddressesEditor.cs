using AccessTokenPanel.Domain.Audit;
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
}

public sealed record AllowedAddressesResult(AllowedAddressesOutcome Outcome, IReadOnlyList<TokenError> Errors, AccessToken? Token = null)
{
    public bool Succeeded => Outcome is AllowedAddressesOutcome.Changed or AllowedAddressesOutcome.Unchanged;
}

/// <summary>
/// Changes a token's allowed client addresses after issuance: the owner, or whoever may revoke
/// anyone's token (the same rule as deleting it). An empty list allows every address again. The live
/// access tokens derived from it get the same list, since they act for it.
/// </summary>
public sealed class AllowedAddressesEditor(PanelDbContext db, PermissionResolver permissions, AuditLog audit, TimeProvider time)
{
    /// <summary>
    /// Replaces the list; <paramref name="actingPermissions"/> is what the actor acts with when it is
    /// less than their own permissions (a Configuration token's role), null for their current permissions.
    /// </summary>
    public async Task<AllowedAddressesResult> SetAsync(Guid tokenId, string actorId, IEnumerable<string?>? entries,
        IReadOnlySet<string>? actingPermissions = null, CancellationToken cancellationToken = default)
    {
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null
            || (token.OwnerId != actorId
                && !(actingPermissions ?? await permissions.GetPermissionsAsync(actorId, cancellationToken)).Contains(Permission.TokensRevokeAll)))
        {
            return new(AllowedAddressesOutcome.NotFound, [new(TokenErrorCodes.TokenNotFound, TokenFields.Token, "There is no such token, or it is not one you may manage.")]);
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (token.StatusAt(now) != TokenStatus.Active)
        {
            return new(AllowedAddressesOutcome.Invalid, [new(TokenErrorCodes.TokenNotRotatable, TokenFields.Token,
                "The token no longer works (deleted or expired): there is nothing to restrict.")]);
        }
        if (token.Kind == TokenKind.Access)
        {
            return new(AllowedAddressesOutcome.Invalid, [new(TokenErrorCodes.TokenNotRotatable, TokenFields.Token,
                "Access tokens take their allowed addresses from the long-lived token they came from: change that one.")]);
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

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.AccessTokens
            .Where(t => t.ParentTokenId == token.Id && t.Kind == TokenKind.Access && t.RevokedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.AllowedAddresses, stored), cancellationToken);
        var previous = token.AllowedAddresses;
        token.AllowedAddresses = stored;
        audit.Record(actorId, AuditActions.TokenAllowedAddressesChanged, "token", token.Id.ToString(),
            $"{token.ApiType.DisplayName()} token '{token.Name}' ({token.Hint}) of user {token.OwnerId}: allowed addresses "
            + $"{previous ?? "any"} → {stored ?? "any"}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(AllowedAddressesOutcome.Changed, [], token);
    }
}

using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

public enum RotateOutcome
{
    Rotated,
    /// <summary>No such token, or one the actor may not manage: the two are not told apart.</summary>
    NotFound,
    /// <summary>The actor manages others' tokens, but the owner holds permissions the actor does not.</summary>
    Outranked,
    /// <summary>Revoked, expired, already rotated, or a derived access token.</summary>
    NotRotatable,
    /// <summary>The overlap is out of range, or the issuer's rules refuse the replacement today.</summary>
    Invalid,
    /// <summary>The actor's step-up code was missing, wrong, replayed, or codes are locked.</summary>
    StepUpFailed,
    /// <summary>The actor may not rotate tokens this way (not enrolled, an external JWT, an exchanged access token).</summary>
    Forbidden,
}

/// <summary>
/// What came of a rotation: the replacement with its secret (shown once, then forgotten) and the old
/// row as it is now (valid until its shortened <see cref="AccessToken.ExpiresAt"/>), or why not.
/// </summary>
public sealed record RotateTokenResult(
    RotateOutcome Outcome,
    IReadOnlyList<DomainError> Errors,
    AccessToken? NewToken = null,
    string? Secret = null,
    AccessToken? OldToken = null)
{
    public bool Succeeded => Outcome == RotateOutcome.Rotated;

    public override string ToString() =>
        Succeeded ? $"Rotated {OldToken!.Id} to {NewToken!.Id}" : $"{Outcome}: {string.Join(", ", Errors.Select(e => e.Code))}";
}

/// <summary>
/// Rotation without downtime: a new token (new id and secret; same owner, name, API, role and
/// allowed addresses; the original's lifetime within today's policy) while the old secret keeps
/// working for the chosen overlap. The old row's expiry is moved to the end of the overlap (never
/// later than it was), so every existing check (bearer, token endpoint, introspection, lists)
/// refuses it from then on; its live derived access tokens are cut to the same instant.
/// </summary>
public sealed class TokenRotator(
    PanelDbContext db,
    TokenIssuer issuer,
    Policies.TokenPolicies policies,
    OperationGuard guard,
    AuditLog audit,
    TimeProvider time)
{
    /// <summary>
    /// <see cref="Operations.RotateToken"/>: the actor's own token, or anyone's with
    /// <see cref="Permission.TokensRevokeAll"/> unless the owner outranks them (whoever rotates holds
    /// the new secret, which acts with its owner's permissions). The checks come first, then the
    /// actor's step-up code, so a token that cannot be rotated does not cost the code.
    /// </summary>
    public async Task<RotateTokenResult> RotateAsync(Actor actor, Guid tokenId, int overlapMinutes, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var (old, refusal) = await FindAsync(actor, tokenId, overlapMinutes, now, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (await guard.StepUpAsync(actor, cancellationToken) is { } stepUp)
        {
            return new(RotateOutcome.StepUpFailed, [stepUp]);
        }

        var maxLifetimeDays = await policies.MaxLifetimeDaysAsync(old!.ApiType, cancellationToken);
        var validUntil = now.AddMinutes(overlapMinutes);
        if (validUntil > old!.ExpiresAt)
        {
            validUntil = old.ExpiresAt;
        }
        var newId = Guid.CreateVersion7(time.GetUtcNow());

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The first statement is a write, so on SQLite the transaction holds the write lock before it
        // reads anything; of two rotations of one token exactly one changes the row.
        var claimed = await db.AccessTokens
            .Where(t => t.Id == old.Id && t.RevokedAt == null && t.RotatedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set
                .SetProperty(t => t.RotatedAt, now)
                .SetProperty(t => t.ExpiresAt, validUntil)
                .SetProperty(t => t.ReplacedByTokenId, newId), cancellationToken);
        // The token it was issued with, re-read under the same lock: a revoke of the parent that
        // committed meanwhile must not leave a fresh replacement alive.
        if (claimed == 1 && old.ParentTokenId is { } parentId
            && await db.AccessTokens.AnyAsync(t => t.Id == parentId && t.RevokedAt != null, cancellationToken))
        {
            claimed = 0;
        }
        if (claimed != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return NotRotatable("The token was rotated, deleted or expired meanwhile. Reload the list.");
        }
        // Derived access tokens never outlive the token they were exchanged for.
        await db.AccessTokens
            .Where(t => t.ParentTokenId == old.Id && t.Kind == TokenKind.Access && t.RevokedAt == null && t.ExpiresAt > validUntil)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, validUntil), cancellationToken);

        audit.Record(actor.UserId, AuditActions.TokenRotated, "token", old.Id.ToString(),
            $"{old.ApiType.DisplayName()} token '{old.Name}' ({old.Hint}) of user {old.OwnerId} rotated to token {newId}; "
            + $"overlap {overlapMinutes} minutes, old secret valid until {validUntil:u} (was {old.ExpiresAt:u}), {actor.Via}");
        // The issuer checks the replacement against today's rules (policy, role delegation, owner)
        // and saves it together with the audit entries.
        var issued = await issuer.IssueAsync(new IssueTokenRequest(
            old.OwnerId, old.Name, old.ApiType, old.DelegatedRole,
            TokenExpiry.AtInstant(ExpiryPolicy.ForReplacement(old, now, maxLifetimeDays)),
            ParentTokenId: old.ParentTokenId, ActorId: actor.UserId, Kind: TokenKind.Standard,
            AllowedAddresses: AddressAllowlist.Entries(old.AllowedAddresses), ActorVia: actor.Via), newId, cancellationToken);
        if (!issued.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new(RotateOutcome.Invalid, issued.Errors);
        }
        await transaction.CommitAsync(cancellationToken);
        Telemetry.PanelMetrics.TokenRevoked(Telemetry.RevocationCause.Rotation);

        old.RotatedAt = now;
        old.ExpiresAt = validUntil;
        old.ReplacedByTokenId = newId;
        return new(RotateOutcome.Rotated, [], issued.Token, issued.Secret, old);
    }

    private async Task<(AccessToken? Token, RotateTokenResult? Refusal)> FindAsync(
        Actor actor, Guid tokenId, int overlapMinutes, DateTime now, CancellationToken cancellationToken)
    {
        if (overlapMinutes is < 0 or > TokenRules.MaxOverlapMinutes)
        {
            return (null, new(RotateOutcome.Invalid, [new(TokenErrorCodes.OverlapOutOfRange, TokenFields.Overlap,
                $"The overlap must be from 0 to {TokenRules.MaxOverlapMinutes} minutes (7 days); got {overlapMinutes}.")]));
        }
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null)
        {
            return (null, NotFound());
        }
        if (await guard.AuthorizeAsync(actor, Operations.RotateToken, token.OwnerId, NotFound().Errors[0], cancellationToken) is { } refused)
        {
            return (null, new(refused.Kind switch
            {
                ErrorKind.NotFound => RotateOutcome.NotFound,
                _ when refused.Code == AuthorizationErrors.OutrankedCode => RotateOutcome.Outranked,
                _ => RotateOutcome.Forbidden,
            }, [refused]));
        }
        if (token.Kind == TokenKind.Access)
        {
            return (null, NotRotatable("Access tokens from the token endpoint are short-lived and cannot be rotated: rotate the long-lived token they came from."));
        }
        return token.StatusAt(now) switch
        {
            TokenStatus.Revoked => (null, NotRotatable("The token was deleted; deleted tokens cannot be rotated.")),
            TokenStatus.Expired when token.RotatedAt is not null => (null, NotRotatable("The token was already rotated; rotate its replacement instead.")),
            TokenStatus.Expired => (null, NotRotatable("The token has expired; generate a new one instead.")),
            _ when token.RotatedAt is not null => (null, NotRotatable(
                $"The token is already being rotated: its old secret works until {token.ExpiresAt:yyyy-MM-dd HH:mm} UTC. Rotate its replacement instead.")),
            _ => (token, null),
        };
    }

    private static RotateTokenResult NotFound() =>
        new(RotateOutcome.NotFound, [new(TokenErrorCodes.TokenNotFound, TokenFields.Token, "There is no such token, or it is not one you may manage.", ErrorKind.NotFound)]);

    private static RotateTokenResult NotRotatable(string message) =>
        new(RotateOutcome.NotRotatable, [new(TokenErrorCodes.TokenNotRotatable, TokenFields.Token, message, ErrorKind.Conflict)]);
}

using System.Net;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Settings;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

public enum ExchangeError
{
    None,
    /// <summary>The presented token is not a live long-lived token (RFC 6749 <c>invalid_grant</c>).</summary>
    InvalidGrant,
}

/// <summary>Either the derived access token with its secret (shown once), or why not.</summary>
public sealed record ExchangeResult(ExchangeError Error, string Description, AccessToken? Token = null, string? Secret = null)
{
    public bool Succeeded => Error == ExchangeError.None;
}

/// <summary>
/// The refresh-token grant: a long-lived token buys a short-lived access token for the same API
/// with the same delegated role, living the policy's access token lifetime but never past its
/// parent. The access token is the parent's child, so revoking the parent refuses it too.
/// </summary>
public sealed class AccessTokenExchange(PanelDbContext db, TokenValidator validator, TokenIssuer issuer, SettingsStore settings, TimeProvider time)
{
    /// <summary>
    /// Exchanges <paramref name="refreshToken"/>; <paramref name="clientAddress"/> is where the exchange
    /// comes from, checked against the token's allowed addresses, which the access token inherits.
    /// </summary>
    public async Task<ExchangeResult> ExchangeAsync(string? refreshToken, CancellationToken cancellationToken = default, IPAddress? clientAddress = null)
    {
        var result = await ExchangeOnceAsync(refreshToken, clientAddress, cancellationToken);
        Telemetry.PanelMetrics.TokenExchanged(result.Succeeded ? "issued" : "invalid-grant");
        return result;
    }

    private async Task<ExchangeResult> ExchangeOnceAsync(string? refreshToken, IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        if (TokenSecret.Check(refreshToken, out var api) != TokenFormatCheck.WellFormed)
        {
            return new(ExchangeError.InvalidGrant, "The refresh token is not an AccessTokenPanel token, or it was mistyped.");
        }
        var validation = await validator.ValidateAsync(refreshToken, api!.Value, cancellationToken, directCall: false, clientAddress);
        if (!validation.IsValid)
        {
            return new(ExchangeError.InvalidGrant, validation.Description);
        }
        var parent = validation.Token!;
        if (parent.Kind == TokenKind.Access)
        {
            return new(ExchangeError.InvalidGrant, "An access token cannot be exchanged again: use the long-lived token it came from.");
        }

        var policy = await settings.GetAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;

        // The parent is checked again inside the transaction that inserts the child, by a write to
        // its row: on SQLite that write takes the database's write lock, on PostgreSQL the row's lock,
        // so a revocation or rotation of the parent either committed before (and this finds it: no
        // child) or waits for this commit (and its search for children finds this one).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var live = await db.AccessTokens
            .Where(t => t.Id == parent.Id && t.RevokedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, t => t.RevokedAt), cancellationToken);
        var parentExpiresAt = await db.AccessTokens.Where(t => t.Id == parent.Id).Select(t => t.ExpiresAt).SingleAsync(cancellationToken);
        if (live != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new(ExchangeError.InvalidGrant, "The refresh token was revoked, rotated or expired meanwhile.");
        }
        var expiresAt = now.AddMinutes(policy.AccessTokenLifetimeMinutes);
        if (expiresAt > parentExpiresAt)
        {
            expiresAt = parentExpiresAt;
        }
        // Same owner, API and role, checked by the issuer's rules as of now (an owner who lost the
        // role's permissions, or an API switched off, gets nothing).
        var issued = await issuer.IssueAsync(new IssueTokenRequest(
            parent.OwnerId, parent.Name, parent.ApiType, parent.DelegatedRole, TokenExpiry.AtInstant(expiresAt),
            ParentTokenId: parent.Id, Kind: TokenKind.Access,
            AllowedAddresses: AddressAllowlist.Entries(parent.AllowedAddresses)), cancellationToken);
        if (!issued.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new(ExchangeError.InvalidGrant, string.Join(" ", issued.Errors.Select(e => e.Message)));
        }
        await transaction.CommitAsync(cancellationToken);
        return new(ExchangeError.None, "", issued.Token, issued.Secret);
    }
}

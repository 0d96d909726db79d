using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Settings;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>Decides whether a presented secret may call an API, and says why not.</summary>
public sealed class TokenValidator(PanelDbContext db, SettingsStore settings, TimeProvider time)
{
    /// <summary>
    /// <paramref name="directCall"/>: the token is calling the API itself (the default), so the
    /// policy "long-lived tokens may call this API directly" applies; false at the token endpoint.
    /// </summary>
    public async Task<TokenValidationResult> ValidateAsync(string? presented, ApiType api, CancellationToken cancellationToken = default, bool directCall = true)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return new(TokenValidationStatus.Missing);
        }
        // Format, checksum and API prefix first: garbage never reaches the database.
        switch (TokenSecret.Check(presented, out var presentedApi))
        {
            case TokenFormatCheck.Malformed:
                return new(TokenValidationStatus.Malformed);
            case TokenFormatCheck.ChecksumMismatch:
                return new(TokenValidationStatus.ChecksumMismatch);
        }
        if (presentedApi != api)
        {
            return new(TokenValidationStatus.WrongApi);
        }

        var hash = TokenSecret.Hash(presented);
        var found = await db.AccessTokens.AsNoTracking()
            .Where(t => t.SecretHash == hash)
            .Join(db.Users, t => t.OwnerId, u => u.Id, (t, u) => new { Token = t, OwnerDisabled = u.IsDisabled })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new(TokenValidationStatus.Unknown);
        }
        var token = found.Token;
        TokenValidationResult result = token.StatusAt(time.GetUtcNow().UtcDateTime) switch
        {
            TokenStatus.Revoked => new(TokenValidationStatus.Revoked, token),
            TokenStatus.Expired => new(TokenValidationStatus.Expired, token),
            _ when found.OwnerDisabled => new(TokenValidationStatus.OwnerDisabled, token),
            _ => new(TokenValidationStatus.Valid, token),
        };
        if (result.IsValid && directCall && token.Kind == TokenKind.Standard
            && !(await settings.GetAsync(cancellationToken)).AllowsDirectCalls(api))
        {
            return new(TokenValidationStatus.ExchangeRequired, token);
        }
        return result;
    }
}

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// Decides whether a presented secret may call an API, and says why not. Every call reads the
/// token's row (one indexed lookup by hash, joined to its owner), so a revocation or a disabled
/// owner counts on the very next call on every instance; only what cannot change (the format and
/// checksum of the secret) is decided without the database. The policy's "long-lived tokens may
/// call this API directly" switches come in the same query, so a changed policy also counts at once.
/// </summary>
public sealed class TokenValidator(ITokenLookup lookup, TimeProvider time)
{
    /// <summary>
    /// <paramref name="directCall"/>: the token is calling the API itself (the default), so the
    /// policy "long-lived tokens may call this API directly" applies; false at the token endpoint.
    /// </summary>
    public async Task<TokenValidationResult> ValidateAsync(string? presented, ApiType api, CancellationToken cancellationToken = default, bool directCall = true)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return TokenValidationResult.MissingToken;
        }
        // Format, checksum and API prefix first: garbage never reaches the database.
        switch (TokenSecret.Check(presented, out var presentedApi))
        {
            case TokenFormatCheck.Malformed:
                return TokenValidationResult.MalformedToken;
            case TokenFormatCheck.ChecksumMismatch:
                return TokenValidationResult.ChecksumMismatchToken;
        }
        if (presentedApi != api)
        {
            return TokenValidationResult.WrongApiToken;
        }

        var found = await lookup.FindByHashAsync(TokenSecret.Hash(presented), cancellationToken);
        if (found is null)
        {
            return TokenValidationResult.UnknownToken;
        }
        var token = found.Token;
        return token.StatusAt(time.GetUtcNow().UtcDateTime) switch
        {
            TokenStatus.Revoked => new(TokenValidationStatus.Revoked, token),
            TokenStatus.Expired => new(TokenValidationStatus.Expired, token),
            _ when found.OwnerDisabled => new(TokenValidationStatus.OwnerDisabled, token),
            _ when directCall && token.Kind == TokenKind.Standard && !found.AllowsDirectCalls(api) => new(TokenValidationStatus.ExchangeRequired, token),
            _ => new(TokenValidationStatus.Valid, token),
        };
    }
}

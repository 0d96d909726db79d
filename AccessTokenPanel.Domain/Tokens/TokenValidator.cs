using System.Net;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// Decides whether a presented secret may call an API, and says why not. Every call reads the
/// token's row (one indexed lookup by hash, joined to its owner), so a revocation or a disabled
/// owner counts on the very next call on every instance; only what cannot change (the format and
/// checksum of the secret) is decided without the database. The policy's "long-lived tokens may
/// call this API directly" switches come in the same query, so a changed policy also counts at once.
/// </summary>
public sealed class TokenValidator(ITokenLookup lookup, TimeProvider time, AddressRefusalAudit addressRefusals)
{
    /// <summary>
    /// <paramref name="directCall"/>: the token is calling the API itself (the default), so the
    /// policy "long-lived tokens may call this API directly" applies; false at the token endpoint.
    /// <paramref name="clientAddress"/>: where the call comes from (after trusted proxies), checked
    /// against the token's allowed addresses; a token with such a list is refused when it is null.
    /// <paramref name="checkAllowedAddresses"/>: false only where the token is described, not used (introspection).
    /// </summary>
    public async Task<TokenValidationResult> ValidateAsync(string? presented, ApiType api, CancellationToken cancellationToken = default,
        bool directCall = true, IPAddress? clientAddress = null, bool checkAllowedAddresses = true)
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
        var now = time.GetUtcNow().UtcDateTime;
        return token.StatusAt(now) switch
        {
            TokenStatus.Revoked => new(TokenValidationStatus.Revoked, token),
            TokenStatus.Expired => new(TokenValidationStatus.Expired, token),
            _ when found.OwnerDisabled => new(TokenValidationStatus.OwnerDisabled, token),
            _ when !found.ParentLiveAt(now) => new(TokenValidationStatus.ParentNotLive, token),
            // The list came with the row (no extra query); each distinct list is parsed once.
            _ when checkAllowedAddresses && !AddressAllowlist.Allows(token.AllowedAddresses, clientAddress) =>
                RefuseAddress(token, clientAddress, now),
            _ when directCall && token.Kind == TokenKind.Standard && !found.AllowsDirectCalls(api) => new(TokenValidationStatus.ExchangeRequired, token),
            _ => new(TokenValidationStatus.Valid, token) { OwnerPermissions = found.OwnerPermissions },
        };
    }

    private TokenValidationResult RefuseAddress(AccessToken token, IPAddress? clientAddress, DateTime now)
    {
        var address = clientAddress is null ? null : AddressAllowlist.Normalize(clientAddress);
        // Counted in memory and written to the audit log by the periodic flush: no write per refusal.
        addressRefusals.Record(token.Id, address?.ToString() ?? "an unknown address", now);
        return new(TokenValidationStatus.AddressNotAllowed, token, address);
    }
}

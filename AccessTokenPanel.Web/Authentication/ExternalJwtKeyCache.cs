using System.Collections.Concurrent;
using AccessTokenPanel.Domain.ExternalTokens;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AccessTokenPanel.Web.Authentication;

/// <summary>The signing keys an external issuer publishes, or why they could not be had.</summary>
public sealed record ExternalKeys(IReadOnlyList<SecurityKey>? Keys, string? Error);

/// <summary>
/// Fetches and caches each validator's signing keys (JWKS, found through OIDC discovery unless a
/// JWKS URL is given). Keys are kept for <see cref="Lifetime"/>; a token with an unknown <c>kid</c>
/// fetches again (key rotation), at most once per <see cref="MinRefreshInterval"/> so that made-up
/// kids cannot make the panel hammer the issuer.
/// </summary>
public sealed class ExternalJwtKeyCache(
    IHttpClientFactory httpClients, IOptions<ExternalIssuerUrlOptions> urlOptions, TimeProvider time, ILogger<ExternalJwtKeyCache> logger)
{
    public const string HttpClientName = "external-token-issuers";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    private sealed class Entry
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);
        public IReadOnlyList<SecurityKey>? Keys { get; set; }
        public DateTime KeysFetchedAt { get; set; }

        /// <summary>The last fetch, successful or not: the throttle for refetches.</summary>
        public DateTime LastAttemptAt { get; set; }

        /// <summary>The validator's UpdatedAt the keys belong to; a changed validator starts afresh.</summary>
        public DateTime ValidatorVersion { get; set; }
    }

    private const string FetchFailed = "The issuer's signing keys could not be fetched; try again later.";

    /// <summary>Drops the keys of a validator that was changed or removed.</summary>
    public void Forget(Guid validatorId) => _entries.TryRemove(validatorId, out _);

    public async Task<ExternalKeys> GetKeysAsync(ExternalTokenValidator validator, bool unknownKeyId, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(validator.Id, _ => new Entry());
        if (Cached(entry, validator, unknownKeyId) is { } cached)
        {
            return cached;
        }
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            // Another request may have fetched while this one waited.
            if (Cached(entry, validator, unknownKeyId) is { } fetched)
            {
                return fetched;
            }
            var now = time.GetUtcNow().UtcDateTime;
            if (entry.ValidatorVersion != validator.UpdatedAt)
            {
                entry.Keys = null;
                entry.ValidatorVersion = validator.UpdatedAt;
            }
            entry.LastAttemptAt = now;
            try
            {
                entry.Keys = await FetchAsync(validator, cancellationToken);
                entry.KeysFetchedAt = now;
                return new(entry.Keys, null);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException
                or InvalidOperationException or System.Text.Json.JsonException or FormatException)
            {
                logger.LogWarning("Could not fetch the signing keys of external token validator {Validator} ({Issuer}): {Error}",
                    validator.Name, validator.Issuer, ex.Message);
                // The last keys keep working while the issuer is down; a new kid cannot be checked.
                return entry.Keys is not null && !unknownKeyId ? new(entry.Keys, null) : new(null, FetchFailed);
            }
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    private ExternalKeys? Cached(Entry entry, ExternalTokenValidator validator, bool unknownKeyId)
    {
        if (entry.ValidatorVersion != validator.UpdatedAt || entry.LastAttemptAt == default)
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (entry.Keys is not null && !unknownKeyId && now - entry.KeysFetchedAt < Lifetime)
        {
            return new(entry.Keys, null);
        }
        // Asked again too soon (an unknown kid, an issuer that was down): answer from what we have.
        if (now - entry.LastAttemptAt < MinRefreshInterval)
        {
            return entry.Keys is not null ? new(entry.Keys, null) : new(null, FetchFailed);
        }
        return null;
    }

    private async Task<IReadOnlyList<SecurityKey>> FetchAsync(ExternalTokenValidator validator, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        var allowLoopbackHttp = urlOptions.Value.AllowLoopbackHttp;
        var jwksUrl = validator.JwksUrl;
        // Checked again here: a validator saved under Development's rule may reach a production instance.
        if (!ExternalTokenValidators.IsTrustedUrl(jwksUrl ?? validator.Issuer, allowLoopbackHttp))
        {
            throw new InvalidOperationException("The validator's issuer or JWKS URL is not an https URL.");
        }
        if (jwksUrl is null)
        {
            var discovery = validator.Issuer.TrimEnd('/') + "/.well-known/openid-configuration";
            var configuration = OpenIdConnectConfiguration.Create(await http.GetStringAsync(discovery, cancellationToken));
            jwksUrl = configuration.JwksUri;
            if (string.IsNullOrEmpty(jwksUrl) || !ExternalTokenValidators.IsTrustedUrl(jwksUrl, allowLoopbackHttp))
            {
                throw new InvalidOperationException("The discovery document names no usable jwks_uri.");
            }
        }
        var keys = JsonWebKeySet.Create(await http.GetStringAsync(jwksUrl, cancellationToken)).GetSigningKeys();
        // Only public keys: an HMAC secret published in a JWKS would let anyone sign.
        return keys.Where(k => k is RsaSecurityKey or ECDsaSecurityKey or X509SecurityKey
            || (k is JsonWebKey jwk && jwk.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve)).ToList();
    }
}

using System.Text.Json;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Web.Api;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AccessTokenPanel.Web.Authentication.Sso;

/// <summary>
/// The OpenID Provider ends the panel sessions it started: back-channel (OpenID Connect Back-Channel
/// Logout 1.0: a logout token, a JWT signed with a key of the provider's JWKS, naming the session
/// <c>sid</c> and/or the user <c>sub</c>) and front-channel (the browser loads our URL with the
/// provider's <c>iss</c> and <c>sid</c>). Either ends, in the database, the sessions started from
/// that provider session or user, so the next request on their cookies is signed out on every instance.
/// </summary>
internal sealed class SsoLogout(
    IOptionsMonitor<OpenIdConnectOptions> oidc, IOptions<SsoOptions> options, SessionRegistry sessions, SignInAudit audit, ILogger<SsoLogout> log)
{
    public const string BackChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    /// <summary>How old a logout token may be (its <c>iat</c>), besides the clock skew.</summary>
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    public static IEndpointRouteBuilder MapSsoLogoutEndpoints(IEndpointRouteBuilder endpoints)
    {
        // Server to server: no cookie, no antiforgery token; the provider's signature is the credential.
        endpoints.MapPost(SsoPaths.BackChannelLogout, (HttpContext http, SsoLogout logout) => logout.BackChannelAsync(http))
            .AllowAnonymous().DisableAntiforgery()
            .Performs(Operations.EndSessionsByProvider);
        endpoints.MapGet(SsoPaths.FrontChannelLogout, (HttpContext http, SsoLogout logout, string? iss, string? sid) => logout.FrontChannelAsync(http, iss, sid))
            .AllowAnonymous()
            .Performs(Operations.EndSessionsByProvider);
        return endpoints;
    }

    public async Task<IResult> BackChannelAsync(HttpContext http)
    {
        if (!options.Value.Enabled)
        {
            return TypedResults.NotFound();
        }
        http.Response.Headers.CacheControl = "no-store";
        if (!http.Request.HasFormContentType)
        {
            return Invalid("The logout token comes as application/x-www-form-urlencoded (logout_token).");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["logout_token"] is not [{ Length: > 0 } logoutToken])
        {
            return Invalid("logout_token is required, once.");
        }
        var (claims, error) = await ValidateAsync(logoutToken, http.RequestAborted);
        if (claims is null)
        {
            // The reason for the operator; never the token itself.
            log.LogWarning("A back-channel logout was refused: {Reason}", error);
            return Invalid(error!);
        }
        await EndAsync(claims.Value.SessionId, claims.Value.Subject, "back-channel", http.RequestAborted);
        return TypedResults.Ok();
    }

    public async Task<IResult> FrontChannelAsync(HttpContext http, string? iss, string? sid)
    {
        if (!options.Value.Enabled)
        {
            return TypedResults.NotFound();
        }
        http.Response.Headers.CacheControl = "no-store";
        var configuration = await ConfigurationAsync(refresh: false, http.RequestAborted);
        // Only the provider's own session id ends sessions; without sid nothing is ended (a bare
        // link must not sign everyone of a user out).
        if (string.IsNullOrEmpty(sid) || sid.Length > 255 || !string.Equals(iss, configuration.Issuer, StringComparison.Ordinal))
        {
            return TypedResults.BadRequest("iss must be the provider's issuer and sid its session id.");
        }
        await EndAsync(sid, null, "front-channel", http.RequestAborted);
        return TypedResults.Content("<!DOCTYPE html><title>Signed out</title><p>Signed out of the panel.</p>", "text/html");
    }

    private async Task EndAsync(string? sessionId, string? subject, string channel, CancellationToken cancellationToken)
    {
        foreach (var (userId, count) in await sessions.EndByProviderAsync(sessionId, subject, cancellationToken))
        {
            await audit.EndedByProviderAsync(userId, count, channel, cancellationToken);
        }
    }

    /// <summary>
    /// The checks of Back-Channel Logout 1.0 section 2.6: signature by a key of the provider's JWKS
    /// (refreshed once when the key is unknown: the provider rotated it), iss, aud, iat (and exp when
    /// sent), the back-channel logout event, a sid or a sub, a jti, and no nonce.
    /// </summary>
    private async Task<((string? SessionId, string? Subject)? Claims, string? Error)> ValidateAsync(string logoutToken, CancellationToken cancellationToken)
    {
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(logoutToken))
        {
            return (null, "The logout token is no JWT.");
        }
        var result = await handler.ValidateTokenAsync(logoutToken, await ParametersAsync(refresh: false, cancellationToken));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            result = await handler.ValidateTokenAsync(logoutToken, await ParametersAsync(refresh: true, cancellationToken));
        }
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return (null, $"The logout token is not valid: {result.Exception?.GetType().Name ?? "unknown reason"}.");
        }
        if (token.TryGetHeaderValue<string>("typ", out var type) && type is { Length: > 0 }
            && !type.Equals("logout+jwt", StringComparison.OrdinalIgnoreCase) && !type.Equals("JWT", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"The logout token's typ is {type}, not logout+jwt.");
        }
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload));
        var root = payload.RootElement;
        if (!root.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var issuedAt))
        {
            return (null, "The logout token has no iat.");
        }
        // The provider's clock, as for its ID tokens: never the panel's TimeProvider.
        var now = DateTimeOffset.UtcNow;
        var issued = DateTimeOffset.FromUnixTimeSeconds(issuedAt);
        if (issued > now + ClockSkew || issued < now - MaxAge - ClockSkew)
        {
            return (null, "The logout token's iat is too old or in the future.");
        }
        if (!root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Object
            || !events.TryGetProperty(BackChannelLogoutEvent, out var logoutEvent) || logoutEvent.ValueKind != JsonValueKind.Object)
        {
            return (null, "The logout token's events claim has no back-channel logout event.");
        }
        if (root.TryGetProperty("nonce", out _))
        {
            return (null, "A logout token must not carry a nonce (is it an ID token?).");
        }
        if (!root.TryGetProperty("jti", out var jti) || jti.ValueKind != JsonValueKind.String)
        {
            return (null, "The logout token has no jti.");
        }
        var sid = root.TryGetProperty("sid", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var sub = root.TryGetProperty("sub", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (string.IsNullOrEmpty(sid) && string.IsNullOrEmpty(sub))
        {
            return (null, "The logout token names neither a sid nor a sub.");
        }
        return ((sid, sub), null);
    }

    private async Task<TokenValidationParameters> ParametersAsync(bool refresh, CancellationToken cancellationToken)
    {
        var configuration = await ConfigurationAsync(refresh, cancellationToken);
        return new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = options.Value.ClientId,
            IssuerSigningKeys = configuration.SigningKeys,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            // exp is checked when sent (Back-Channel Logout 1.0 makes it required only in later revisions); iat always, above.
            RequireExpirationTime = false,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
        };
    }

    private async Task<OpenIdConnectConfiguration> ConfigurationAsync(bool refresh, CancellationToken cancellationToken)
    {
        var manager = oidc.Get(SsoOptions.Scheme).ConfigurationManager
            ?? throw new InvalidOperationException("The single sign-on handler has no configuration manager.");
        if (refresh)
        {
            manager.RequestRefresh();
        }
        return await manager.GetConfigurationAsync(cancellationToken);
    }

    private static IResult Invalid(string description) =>
        TypedResults.BadRequest(new OAuthError("invalid_request", description));

    private sealed record OAuthError(
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string Description);
}

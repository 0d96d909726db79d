using System.Text.Json.Serialization;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AccessTokenPanel.Web.Api.OAuth;

/// <summary>RFC 6749 §5.1 successful token response.</summary>
public sealed record OAuthTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn);

/// <summary>RFC 6749 §5.2 error response (also used by RFC 7009 and RFC 7662).</summary>
public sealed record OAuthErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

/// <summary>RFC 7662 §2.2; an inactive token is answered with <c>active: false</c> alone.</summary>
public sealed record IntrospectionResponse(
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("token_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenType = null,
    [property: JsonPropertyName("sub"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject = null,
    [property: JsonPropertyName("username"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username = null,
    [property: JsonPropertyName("aud"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Audience = null,
    [property: JsonPropertyName("jti"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenId = null,
    [property: JsonPropertyName("iat"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? IssuedAt = null,
    [property: JsonPropertyName("exp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ExpiresAt = null,
    [property: JsonPropertyName("delegated_role"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DelegatedRole = null,
    [property: JsonPropertyName("token_kind"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenKind = null,
    [property: JsonPropertyName("parent_token_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ParentTokenId = null);

/// <summary>
/// <c>/api/v1/oauth</c>: the refresh-token grant (RFC 6749 §6) that turns a long-lived token into a
/// short-lived access token, revocation (RFC 7009) and introspection (RFC 7662). The long-lived
/// token is the only credential: there are no OAuth clients to register.
/// </summary>
internal static class OAuthApi
{
    public const string RefreshTokenGrant = "refresh_token";

    public static void MapOAuthApi(this RouteGroupBuilder api)
    {
        var oauth = api.MapGroup("/oauth").AllowAnonymous().DisableAntiforgery().WithTags("OAuth 2.0")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
        oauth.MapPost("/token", TokenAsync).WithName("OAuthToken").Performs(Operations.ExchangeToken)
            .WithSummary("RFC 6749 refresh_token grant: exchanges a long-lived token for a short-lived access token (form-encoded).");
        oauth.MapPost("/revoke", RevokeAsync).WithName("OAuthRevoke").Performs(Operations.RevokeToken)
            .WithSummary("RFC 7009: revokes the given token, and every token derived from it. Always 200 for a well-formed request.");
        oauth.MapPost("/introspect", IntrospectAsync).WithName("OAuthIntrospect").Performs(Operations.ReadToken)
            .WithSummary("RFC 7662: describes a token. Authenticate with an API token, or HTTP Basic credentials plus X-OTP.");
    }

    private static async Task<IResult> TokenAsync(HttpContext http, AccessTokenExchange exchange, TimeProvider time, CancellationToken cancellationToken)
    {
        NoStore(http);
        if (http.Request.Headers.Authorization.Count > 0)
        {
            http.Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Basic realm=\"{BearerTokenDefaults.Realm}\"");
            return Error(StatusCodes.Status401Unauthorized, "invalid_client",
                "There are no client credentials here: the refresh token is the credential. Send no Authorization header.");
        }
        var (form, formError) = await ReadFormAsync(http, cancellationToken);
        if (form is null)
        {
            return formError!;
        }
        if (Single(form, "grant_type", out var grantType) is { } badGrant)
        {
            return badGrant;
        }
        if (grantType != RefreshTokenGrant)
        {
            return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type",
                $"Only grant_type={RefreshTokenGrant} is supported: send the token from the panel as refresh_token.");
        }
        if (Single(form, "refresh_token", out var refreshToken) is { } badToken)
        {
            return badToken;
        }
        if (form.ContainsKey("scope"))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_scope",
                "Scopes are not used: the access token has the API and delegated role of the refresh token. Leave scope out.");
        }

        var result = await exchange.ExchangeAsync(refreshToken, cancellationToken, ClientAddress.Of(http));
        if (!result.Succeeded)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_grant", result.Description);
        }
        var expiresIn = (long)Math.Floor((result.Token!.ExpiresAt - time.GetUtcNow().UtcDateTime).TotalSeconds);
        return TypedResults.Ok(new OAuthTokenResponse(result.Secret!, "Bearer", expiresIn));
    }

    private static async Task<IResult> RevokeAsync(
        HttpContext http, PanelDbContext db, TokenRevoker revoker, CancellationToken cancellationToken)
    {
        NoStore(http);
        var (form, formError) = await ReadFormAsync(http, cancellationToken);
        if (form is null)
        {
            return formError!;
        }
        if (Single(form, "token", out var presented) is { } badToken)
        {
            return badToken;
        }
        // RFC 7009 §2.2: an invalid or unknown token is not an error; holding the secret is the right to revoke it.
        if (TokenSecret.Check(presented, out _) == TokenFormatCheck.WellFormed)
        {
            var hash = TokenSecret.Hash(presented);
            var token = await db.AccessTokens.AsNoTracking().Where(t => t.SecretHash == hash)
                .Select(t => new { t.Id, t.OwnerId, t.RevokedAt }).SingleOrDefaultAsync(cancellationToken);
            if (token is { RevokedAt: null })
            {
                // The token acts on itself: its own secret is its credential.
                var actor = new Actor
                {
                    UserId = token.OwnerId, Kind = ActorKind.Token, Permissions = Actor.NoPermissions, TokenId = token.Id,
                    Via = $"via the OAuth revocation endpoint with token {token.Id} itself",
                };
                await revoker.RevokeAsync(actor, token.Id, cancellationToken);
            }
        }
        return TypedResults.Ok();
    }

    private static async Task<IResult> IntrospectAsync(
        HttpContext http, TokenValidator validator, PermissionResolver permissions, BasicCredentials credentials, OperationGuard guard,
        PanelDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        NoStore(http);
        // Who asks, with what: a Configuration token's role within its owner's permissions, any other
        // token its owner's own tokens only, HTTP Basic plus a code the user's own permissions.
        Actor caller;
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var presentedCaller = authorization["Bearer ".Length..].Trim();
            var validated = TokenSecret.Check(presentedCaller, out var callerApi) == TokenFormatCheck.WellFormed
                ? await validator.ValidateAsync(presentedCaller, callerApi!.Value, cancellationToken, directCall: false, ClientAddress.Of(http))
                : new TokenValidationResult(TokenValidationStatus.Malformed);
            if (!validated.IsValid)
            {
                http.Response.Headers.Append(HeaderNames.WWWAuthenticate,
                    $"Bearer realm=\"{BearerTokenDefaults.Realm}\", error=\"invalid_token\", error_description=\"{validated.Description}\"");
                return Error(StatusCodes.Status401Unauthorized, "invalid_token", validated.Description);
            }
            var callerToken = validated.Token!;
            caller = new Actor
            {
                UserId = callerToken.OwnerId,
                Kind = callerToken.Kind == TokenKind.Access ? ActorKind.AccessToken : ActorKind.Token,
                Permissions = callerToken.ApiType == ApiType.Configuration ? validated.DelegatedPermissions() : Actor.NoPermissions,
                TokenId = callerToken.Id,
                Via = $"via OAuth introspection with token {callerToken.Id}",
            };
        }
        else if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var (user, refusal) = await credentials.VerifyPasswordAndCodeAsync(http);
            if (user is null)
            {
                return refusal!;
            }
            caller = Actor.Session(user.Id, await permissions.GetPermissionsAsync(user.Id, cancellationToken), enrolled: true,
                via: "via OAuth introspection with a password and code");
        }
        else
        {
            http.Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Bearer realm=\"{BearerTokenDefaults.Realm}\"");
            http.Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Basic realm=\"{BearerTokenDefaults.Realm}\"");
            return Error(StatusCodes.Status401Unauthorized, "invalid_client",
                $"Authenticate with an API token (Authorization: Bearer) or with HTTP Basic credentials plus the current code in {BasicCredentials.OtpHeader}.");
        }

        var (form, formError) = await ReadFormAsync(http, cancellationToken);
        if (form is null)
        {
            return formError!;
        }
        if (Single(form, "token", out var presented) is { } badToken)
        {
            return badToken;
        }
        var inactive = TypedResults.Ok(new IntrospectionResponse(false));
        if (TokenSecret.Check(presented, out var api) != TokenFormatCheck.WellFormed)
        {
            return inactive;
        }
        // The described token is not being used here: where the introspector calls from does not matter.
        var result = await validator.ValidateAsync(presented, api!.Value, cancellationToken, directCall: false, checkAllowedAddresses: false);
        // RFC 7662 §2.2: a token the caller may not see is described as inactive, like an unknown one.
        if (!result.IsValid || await guard.AuthorizeAsync(caller, Operations.ReadToken, result.Token!.OwnerId, cancellationToken: cancellationToken) is not null)
        {
            return inactive;
        }
        var token = result.Token!;
        var email = await db.Users.Where(u => u.Id == token.OwnerId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(new IntrospectionResponse(
            true, "Bearer", token.OwnerId, email, token.ApiType.ToWire(), token.Id.ToString(),
            new DateTimeOffset(token.CreatedAt).ToUnixTimeSeconds(), new DateTimeOffset(token.ExpiresAt).ToUnixTimeSeconds(),
            token.DelegatedRole, token.Kind == TokenKind.Access ? "access" : "refresh", token.ParentTokenId?.ToString()));
    }

    private static void NoStore(HttpContext http)
    {
        // RFC 6749 §5.1: responses that carry tokens must not be cached.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
    }

    private static async Task<(IFormCollection? Form, IResult? Error)> ReadFormAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return (null, Error(StatusCodes.Status400BadRequest, "invalid_request",
                "Send the parameters form-encoded (Content-Type: application/x-www-form-urlencoded)."));
        }
        try
        {
            return (await http.Request.ReadFormAsync(cancellationToken), null);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, Error(StatusCodes.Status400BadRequest, "invalid_request", "The form body could not be read."));
        }
    }

    /// <summary>RFC 6749 §3.1: a parameter is sent at most once; a required one must be there and not empty.</summary>
    private static IResult? Single(IFormCollection form, string name, out string value)
    {
        value = "";
        var values = form.TryGetValue(name, out var found) ? found : StringValues.Empty;
        if (values.Count > 1)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", $"The parameter {name} was sent more than once.");
        }
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", $"The parameter {name} is missing.");
        }
        value = values[0]!.Trim();
        return null;
    }

    private static JsonHttpResult<OAuthErrorResponse> Error(int status, string error, string description) =>
        TypedResults.Json(new OAuthErrorResponse(error, description), statusCode: status);
}

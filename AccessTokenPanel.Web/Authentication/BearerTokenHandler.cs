using System.Security.Claims;
using System.Text.Encodings.Web;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Telemetry;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Web.Api.Scim;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AccessTokenPanel.Web.Authentication;

public sealed class BearerTokenOptions : AuthenticationSchemeOptions;

/// <summary>
/// <c>Authorization: Bearer &lt;secret&gt;</c> for the API route groups. Which API a request is for
/// comes from the endpoint's <see cref="TokenApiMetadata"/>; the token must be issued for it. The
/// principal carries the owner, the token and what the token may do right now: the owner's current
/// permissions (SCIM), narrowed to the delegated role (Configuration); REST tokens need none.
/// No cache of anything that can change: one statement per request (the token by its hash with its
/// owner's state and roles and its parent's state), so a revoked token, a disabled owner or a lost
/// role counts on the very next call on every instance.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<BearerTokenOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TokenValidator validator,
    TokenUsageRecorder usage,
    TokenUsageCounts counts,
    TimeProvider time) : AuthenticationHandler<BearerTokenOptions>(options, loggerFactory, encoder)
{
    private TokenValidationResult? _failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Context.GetEndpoint()?.Metadata.GetMetadata<TokenApiMetadata>() is not { } endpointApi)
        {
            return AuthenticateResult.NoResult();
        }
        var presented = ReadBearerToken(Request.Headers.Authorization);
        if (presented is null)
        {
            // RFC 6750 3.1: a request without credentials gets a challenge without an error code.
            return AuthenticateResult.NoResult();
        }

        var clientAddress = ClientAddress.Of(Context);
        var result = await validator.ValidateAsync(presented, endpointApi.Api, Context.RequestAborted, clientAddress: clientAddress);
        PanelMetrics.TokenChecked(endpointApi.Api, result.Status);
        if (!result.IsValid)
        {
            _failure = result;
            if (result.Token is { } refused && TokenRefusalReasons.IsCounted(result.Status))
            {
                counts.CountRefusal(refused.Id, result.Status, time.GetUtcNow().UtcDateTime);
            }
            Logger.LogInformation("Refused a {Api} token: {Status}{TokenId}.", endpointApi.Api, result.Status,
                result.Token is null ? "" : $" (token {result.Token.Id})");
            return AuthenticateResult.Fail(result.Description);
        }

        var token = result.Token!;
        var claims = new List<Claim>(8)
        {
            new(ClaimTypes.NameIdentifier, token.OwnerId),
            new(TokenClaims.Owner, token.OwnerId),
            new(TokenClaims.TokenId, token.Id.ToString()),
            new(TokenClaims.Api, ApiName(token.ApiType)),
        };
        if (token.ApiType != ApiType.Rest)
        {
            // REST endpoints only touch the caller's own tokens, so REST tokens carry no permission claims.
            // The owner's permissions came with the token's row: no second query.
            var granted = token.ApiType == ApiType.Configuration ? result.DelegatedPermissions() : result.OwnerPermissions;
            if (token.DelegatedRole is not null)
            {
                claims.Add(new(TokenClaims.DelegatedRole, token.DelegatedRole));
            }
            claims.AddRange(granted.Select(p => new Claim(TokenClaims.Permission, p)));
        }
        else if (token.DelegatedRole is not null)
        {
            claims.Add(new(TokenClaims.DelegatedRole, token.DelegatedRole));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var from = clientAddress?.ToString();
        usage.Record(token.Id, now, from);
        counts.CountUse(token.Id, now, from);
        Context.Features.Set(new AuthenticatedTokenFeature(token));

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.NameIdentifier, null));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private static string ApiName(ApiType api) => api switch
    {
        ApiType.Configuration => nameof(ApiType.Configuration),
        ApiType.Scim => nameof(ApiType.Scim),
        ApiType.Rest => nameof(ApiType.Rest),
        _ => api.ToString(),
    };

    private static string? ReadBearerToken(string? authorization)
    {
        const string prefix = "Bearer ";
        if (authorization is null || !authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = authorization[prefix.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (_failure is null)
        {
            Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Bearer realm=\"{BearerTokenDefaults.Realm}\"");
            return WriteBodyAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
                "Send an API token: Authorization: Bearer <token>.");
        }
        Response.Headers.Append(HeaderNames.WWWAuthenticate,
            $"Bearer realm=\"{BearerTokenDefaults.Realm}\", error=\"invalid_token\", error_description=\"{_failure.Description}\"");
        return WriteBodyAsync(StatusCodes.Status401Unauthorized, "Invalid token", _failure.Description);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var missing = Context.Items[TokenPermissionAuthorizationHandler.MissingPermissionItem] as string;
        var description = missing is null
            ? "The token may not call this endpoint."
            : $"The token does not carry the permission {missing}.";
        Response.Headers.Append(HeaderNames.WWWAuthenticate,
            $"Bearer realm=\"{BearerTokenDefaults.Realm}\", error=\"insufficient_scope\", error_description=\"{description}\""
            + (missing is null ? "" : $", scope=\"{missing}\""));
        return WriteBodyAsync(StatusCodes.Status403Forbidden, "Insufficient scope", description);
    }

    private async Task WriteBodyAsync(int status, string title, string detail)
    {
        if (Context.GetEndpoint()?.Metadata.GetMetadata<TokenApiMetadata>() is { Api: ApiType.Scim })
        {
            await ScimError.WriteAsync(Context, status, null, detail);
            return;
        }
        await Results.Problem(detail, statusCode: status, title: title).ExecuteAsync(Context);
    }
}

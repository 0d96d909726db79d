using System.Security.Claims;
using System.Text.Encodings.Web;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;
using TokenValidationResult = Microsoft.IdentityModel.Tokens.TokenValidationResult;

namespace AccessTokenPanel.Web.Authentication;

public sealed class ExternalJwtOptions : AuthenticationSchemeOptions
{
    /// <summary>Tolerated difference between the issuer's clock and ours for exp and nbf.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);
}

public static class ExternalJwtDefaults
{
    public const string Scheme = "ExternalJwt";
    public const string IssuerClaim = "external_issuer";

    /// <summary>Asymmetric algorithms only: never <c>none</c>, never HMAC (which a public key would turn into a forgery).</summary>
    public static IReadOnlyList<string> Algorithms { get; } =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// Sends a REST API request whose bearer value is a JWT (three dot-separated parts; panel tokens
    /// have no dots) to this scheme instead of the panel token scheme.
    /// </summary>
    public static string? Select(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<TokenApiMetadata>() is not { Api: ApiType.Rest })
        {
            return null;
        }
        var authorization = context.Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && authorization.AsSpan("Bearer ".Length).Trim().Count('.') == 2
            ? Scheme
            : null;
    }
}

/// <summary>
/// OIDC access tokens (JWTs) from the issuers an administrator trusts (<see cref="ExternalTokenValidator"/>),
/// checked with Microsoft.IdentityModel: signature against the issuer's published keys, issuer,
/// audience, lifetime (with <see cref="ExternalJwtOptions.ClockSkew"/>) and an asymmetric algorithm.
/// The token then acts as the panel user its claim names, with that user's own permissions, as a
/// REST API token would.
/// </summary>
public sealed class ExternalJwtHandler(
    IOptionsMonitor<ExternalJwtOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    PanelDbContext db,
    UserManager<PanelUser> users,
    PermissionResolver permissions,
    ExternalJwtKeyCache keyCache,
    TimeProvider time) : AuthenticationHandler<ExternalJwtOptions>(options, loggerFactory, encoder)
{
    private static readonly JsonWebTokenHandler Tokens = new();
    private string? _failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var jwt = authorization["Bearer ".Length..].Trim();
        var (principal, failure) = await ValidateAsync(jwt);
        if (principal is null)
        {
            _failure = failure;
            Logger.LogInformation("Refused an external token: {Reason}", failure);
            return AuthenticateResult.Fail(failure!);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private async Task<(ClaimsPrincipal? Principal, string? Failure)> ValidateAsync(string jwt)
    {
        if (!Tokens.CanReadToken(jwt))
        {
            return (null, "The token is not a well-formed JWT.");
        }
        string issuer;
        try
        {
            issuer = Tokens.ReadJsonWebToken(jwt).Issuer;
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return (null, "The token is not a well-formed JWT.");
        }
        if (string.IsNullOrEmpty(issuer))
        {
            return (null, "The token names no issuer (iss).");
        }
        var trimmed = issuer.TrimEnd('/');
        var validators = await db.ExternalTokenValidators.AsNoTracking()
            .Where(v => v.Enabled && (v.Issuer == issuer || v.Issuer == trimmed || v.Issuer == trimmed + "/"))
            .ToListAsync(Context.RequestAborted);
        if (validators.Count == 0)
        {
            return (null, "No external token validator trusts this token's issuer.");
        }

        string? failure = null;
        foreach (var validator in validators)
        {
            var (result, error) = await ValidateWithAsync(jwt, validator);
            if (result is null)
            {
                failure = error;
                continue;
            }
            return await MapUserAsync(result, validator);
        }
        return (null, failure);
    }

    private async Task<(TokenValidationResult? Result, string? Failure)> ValidateWithAsync(string jwt, ExternalTokenValidator validator)
    {
        var keys = await keyCache.GetKeysAsync(validator, unknownKeyId: false, Context.RequestAborted);
        if (keys.Keys is null)
        {
            return (null, keys.Error);
        }
        var result = await Tokens.ValidateTokenAsync(jwt, Parameters(validator, keys.Keys));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // An unknown kid: the issuer may have rotated its keys since we fetched them.
            keys = await keyCache.GetKeysAsync(validator, unknownKeyId: true, Context.RequestAborted);
            if (keys.Keys is null)
            {
                return (null, keys.Error);
            }
            result = await Tokens.ValidateTokenAsync(jwt, Parameters(validator, keys.Keys));
        }
        return result.IsValid ? (result, null) : (null, Describe(result.Exception));
    }

    private TokenValidationParameters Parameters(ExternalTokenValidator validator, IReadOnlyList<SecurityKey> keys) => new()
    {
        ValidIssuer = validator.Issuer,
        ValidAudience = validator.Audience,
        IssuerSigningKeys = keys,
        ValidAlgorithms = ExternalJwtDefaults.Algorithms,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        RequireAudience = true,
        ValidateLifetime = true,
        ClockSkew = Options.ClockSkew,
        // The library's lifetime rule, on our TimeProvider (tests move the clock; production uses the system's).
        LifetimeValidator = ValidateLifetime,
        TryAllIssuerSigningKeys = false,
    };

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }
        if (expires.Value.ToUniversalTime() < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }
        if (notBefore is { } nbf && nbf.ToUniversalTime() > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = nbf };
        }
        return true;
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenNoExpirationException => "The token has no expiry (exp).",
        SecurityTokenInvalidAudienceException => "The token was issued for another audience.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not trusted.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted (RSA or ECDSA only).",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with a key its issuer does not publish.",
        SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        _ => "The token is not valid.",
    };

    private async Task<(ClaimsPrincipal? Principal, string? Failure)> MapUserAsync(TokenValidationResult result, ExternalTokenValidator validator)
    {
        var claimName = validator.UserClaim.ToWire();
        var value = result.ClaimsIdentity.FindFirst(claimName)?.Value;
        if (string.IsNullOrWhiteSpace(value))
        {
            return (null, $"The token carries no {claimName} claim to find its panel user by.");
        }
        // Many issuers let people type any address into their profile: an unverified email names nobody.
        if (validator.UserClaim == ExternalUserClaim.Email && !IsEmailVerified(result.ClaimsIdentity))
        {
            return (null, "The token's email is not verified by its issuer (email_verified is not true), so it names no panel user.");
        }
        IQueryable<PanelUser> candidates;
        if (validator.UserClaim == ExternalUserClaim.Email)
        {
            var normalizedEmail = users.NormalizeEmail(value);
            candidates = db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalizedEmail);
        }
        else
        {
            candidates = db.Users.AsNoTracking().Where(u => u.ExternalId == value);
        }
        // A service account is nobody an identity provider can vouch for.
        candidates = candidates.Where(u => !u.IsServiceAccount);
        // Two rows are enough to know the claim is ambiguous; it then names nobody (never a guess, never a 500).
        var matches = await candidates.OrderBy(u => u.Id).Take(2).ToListAsync(Context.RequestAborted);
        if (matches.Count == 0)
        {
            return (null, $"The token's {claimName} does not belong to a panel user.");
        }
        if (matches.Count > 1)
        {
            return (null, $"The token's {claimName} matches more than one panel user, so it cannot say which one it acts as.");
        }
        var user = matches[0];
        if (user.IsDisabled)
        {
            return (null, "The token's panel user is disabled.");
        }
        if (PanelRoles.Find(validator.MaxRole) is not { } maxRole)
        {
            return (null, $"The validator's maximum role ({validator.MaxRole}) is not a panel role.");
        }
        var userPermissions = await permissions.GetPermissionsAsync(user.Id, Context.RequestAborted);
        if (!userPermissions.IsSubsetOf(maxRole.Permissions))
        {
            return (null, $"The token's panel user holds permissions beyond this validator's maximum role ({maxRole.Name}).");
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(TokenClaims.Owner, user.Id),
            new(TokenClaims.Api, ApiType.Rest.ToString()),
            new(ExternalJwtDefaults.IssuerClaim, validator.Issuer),
        };
        // The user's own permissions, bounded by the validator's maximum role.
        claims.AddRange(userPermissions.Where(maxRole.Permissions.Contains).Select(p => new Claim(TokenClaims.Permission, p)));
        return (new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.NameIdentifier, null)), null);
    }

    /// <summary>OIDC's <c>email_verified</c> as a JSON true, or (some issuers) the string "true"; anything else is not verified.</summary>
    private static bool IsEmailVerified(ClaimsIdentity identity) =>
        identity.FindFirst("email_verified") is { } verified
        && (verified.ValueType == ClaimValueTypes.Boolean
            ? string.Equals(verified.Value, "true", StringComparison.OrdinalIgnoreCase)
            : verified.Value == "true");

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var description = _failure ?? "Send a token: Authorization: Bearer <token>.";
        Response.Headers.Append(HeaderNames.WWWAuthenticate,
            $"Bearer realm=\"{BearerTokenDefaults.Realm}\", error=\"invalid_token\", error_description=\"{description.Replace("\"", "'")}\"");
        await Results.Problem(description, statusCode: StatusCodes.Status401Unauthorized, title: "Invalid token").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Bearer realm=\"{BearerTokenDefaults.Realm}\", error=\"insufficient_scope\"");
        await Results.Problem("The token may not call this endpoint.", statusCode: StatusCodes.Status403Forbidden, title: "Insufficient scope").ExecuteAsync(Context);
    }
}

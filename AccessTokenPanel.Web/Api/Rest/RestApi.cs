using System.Security.Claims;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api.OAuth;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Api.Rest;

/// <summary><c>/api/v1</c>: the caller's own tokens, with a REST API token (leak reports: a scanner's signature instead).</summary>
internal static class RestApi
{
    public static RouteGroupBuilder MapRestApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithTags("REST API");
        api.MapUserTokenApi();
        api.MapOAuthApi();
        api.MapLeakReportApi();

        var tokens = api.MapGroup("/tokens").RequireApiToken(ApiType.Rest);
        tokens.MapGet("/", ListTokensAsync).WithName("ListTokens")
            .WithSummary("Lists the caller's own tokens (never their secrets); kind=standard leaves out the short-lived access tokens, kind=access lists only those.");
        tokens.MapGet("/current", GetCurrentToken).WithName("GetCurrentToken").WithSummary("Describes the token making the call.");
        tokens.MapGet("/{id:guid}", GetTokenAsync).WithName("GetToken").WithSummary("Describes one of the caller's tokens.");
        tokens.MapGet("/{id:guid}/usage", GetTokenUsageAsync).WithName("GetTokenUsage")
            .WithSummary("One of the caller's tokens' use over the last 90 UTC days: requests per day, the last 5 client addresses, refusals by reason.");
        tokens.MapDelete("/{id:guid}", RevokeTokenAsync).WithName("RevokeToken")
            .WithSummary("Revokes one of the caller's tokens, and the tokens issued with it.");
        tokens.MapPost("/", IssueTokenAsync).WithName("IssueToken")
            .WithSummary("Issues a token for the caller; needs the current authentication code in X-OTP. Revoking the calling token revokes it too.")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
        tokens.MapPost("/{id:guid}/rotate", RotateTokenAsync).WithName("RotateToken")
            .WithSummary("Rotates one of the caller's tokens: a new secret (201, shown once), while the old one keeps working for overlapMinutes (0-10080). Needs the current authentication code in X-OTP.")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
        tokens.MapPut("/{id:guid}/allowed-addresses", SetAllowedAddressesAsync).WithName("SetTokenAllowedAddresses")
            .WithSummary("Replaces the client addresses (IP addresses and CIDR networks) one of the caller's tokens may be used from; [] allows every address.");
        return api;
    }

    // Every kind by default, as before: a script may need an access token's id (to revoke it, say).
    // The screens summarise access tokens under their parent; kind=standard gives that view here.
    private static async Task<Results<Ok<List<TokenResponse>>, ValidationProblem>> ListTokensAsync(
        string? kind, ClaimsPrincipal user, PanelDbContext db, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryParseKind(kind, out var only))
        {
            return ApiProblems.Validation("kind", "kind-unknown", "Set kind to standard or access, or leave it out for both.");
        }
        var ownerId = user.OwnerId();
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.AccessTokens.AsNoTracking().Where(t => t.OwnerId == ownerId);
        if (only is { } wanted)
        {
            query = query.Where(t => t.Kind == wanted);
        }
        var tokens = await query.OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(tokens.Select(t => TokenResponse.From(t, now, usage)).ToList());
    }

    private static bool TryParseKind(string? value, out TokenKind? kind)
    {
        kind = value?.Trim().ToLowerInvariant() switch
        {
            "standard" => TokenKind.Standard,
            "access" => TokenKind.Access,
            _ => null,
        };
        return kind is not null || string.IsNullOrWhiteSpace(value);
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> GetCurrentToken(
        ClaimsPrincipal user, HttpContext http, PanelDbContext db, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken)
    {
        if (user.PanelTokenId() is not { } tokenId)
        {
            return ApiProblems.NotFound("This call was made with an external identity provider's token, not with a panel token.");
        }
        // The bearer handler read this very row a moment ago in this request: answer from it.
        if (http.Features.Get<AuthenticatedTokenFeature>() is { } current && current.Token.Id == tokenId)
        {
            return TypedResults.Ok(TokenResponse.From(current.Token, time.GetUtcNow().UtcDateTime, usage));
        }
        return await GetTokenAsync(tokenId, user, db, usage, time, cancellationToken);
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> GetTokenAsync(
        Guid id, ClaimsPrincipal user, PanelDbContext db, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.OwnerId == ownerId, cancellationToken);
        return token is null
            ? ApiProblems.NotFound("You have no token with this id.")
            : TypedResults.Ok(TokenResponse.From(token, time.GetUtcNow().UtcDateTime, usage));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(
        Guid id, ClaimsPrincipal user, PanelDbContext db, TokenRevoker revoker, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        // Only the caller's own tokens: someone else's id is answered like an unknown one.
        if (!await db.AccessTokens.AnyAsync(t => t.Id == id && t.OwnerId == ownerId, cancellationToken))
        {
            return ApiProblems.NotFound("You have no token with this id.");
        }
        await revoker.RevokeAsync(id, ownerId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<IssuedTokenResponse>, ValidationProblem, ProblemHttpResult>> IssueTokenAsync(
        IssueTokenBody body, ClaimsPrincipal user, HttpContext http, UserManager<PanelUser> users,
        SecondFactorService secondFactor, TokenIssuer issuer, TokenUsageRecorder usage, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var owner = await users.FindByIdAsync(user.OwnerId());
        if (owner is null)
        {
            return ApiProblems.NotFound("The token's owner no longer exists.");
        }

        var apiType = ApiTypeNames.FromWire(body.Api);
        if (apiType is null)
        {
            return ApiProblems.Validation(TokenFields.Api, TokenErrorCodes.ApiUnknown, $"Set api to {ApiTypeNames.Allowed}.");
        }
        if (body is { Days: not null, ExpirationDate: not null })
        {
            return ApiProblems.Validation(TokenFields.Days, "expiry-ambiguous", "Give either days or expirationDate, not both.");
        }
        var expiry = body switch
        {
            { Days: { } days } => TokenExpiry.InDays(days),
            { ExpirationDate: { } date } => TokenExpiry.OnDate(date),
            _ => null,
        };

        if (await BasicCredentials.VerifyCodeAsync(owner, http.Request.Headers[BasicCredentials.OtpHeader], secondFactor) is { } refusal)
        {
            return refusal;
        }

        var result = await issuer.IssueAsync(new IssueTokenRequest(
            owner.Id, body.Name, apiType.Value, body.DelegatedRole, expiry, ParentTokenId: user.PanelTokenId(),
            AllowedAddresses: body.AllowedAddresses?.Select(a => a ?? "").ToList()), cancellationToken);
        if (!result.Succeeded)
        {
            var errors = result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
            return ApiProblems.Validation(result.Errors[0].Code, errors);
        }
        http.Response.Headers.CacheControl = "no-store";
        var token = TokenResponse.From(result.Token!, time.GetUtcNow().UtcDateTime, usage);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new IssuedTokenResponse(token, result.Secret!));
    }

    // The REST API acts on the caller's own tokens only: the owner's id with no permissions, so
    // someone else's token is answered like an unknown one (404).
    private static readonly IReadOnlySet<string> OwnTokensOnly = new HashSet<string>();

    private static Task<Results<Created<IssuedTokenResponse>, ValidationProblem, ProblemHttpResult>> RotateTokenAsync(
        Guid id, RotateTokenBody? body, ClaimsPrincipal user, HttpContext http, UserManager<PanelUser> users,
        SecondFactorService secondFactor, TokenRotator rotator, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken) =>
        TokenManagementApi.RotateAsync(id, body, OwnTokensOnly, user, http, users, secondFactor, rotator, usage, time, cancellationToken);

    private static Task<Results<Ok<TokenUsageResponse>, ProblemHttpResult>> GetTokenUsageAsync(
        Guid id, ClaimsPrincipal user, PanelDbContext db, TokenUsageHistory history, IOptions<TokenUsageOptions> options,
        CancellationToken cancellationToken) =>
        TokenManagementApi.GetUsageAsync(id, OwnTokensOnly, user, db, history, options, cancellationToken);

    private static Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> SetAllowedAddressesAsync(
        Guid id, AllowedAddressesBody? body, ClaimsPrincipal user, AllowedAddressesEditor editor, TokenUsageRecorder usage, TimeProvider time,
        CancellationToken cancellationToken) =>
        TokenManagementApi.SetAllowedAddressesAsync(id, body, OwnTokensOnly, user, editor, usage, time, cancellationToken);
}

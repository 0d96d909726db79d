using System.Security.Claims;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api.OAuth;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
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
        api.MapTokenGovernanceRestApi();

        var tokens = api.MapGroup("/tokens").RequireApiToken(ApiType.Rest);
        tokens.MapGet("/", ListTokensAsync).WithName("ListTokens").Performs(Operations.ListOwnTokens)
            .WithSummary("Lists the caller's own tokens (never their secrets); kind=standard leaves out the short-lived access tokens, kind=access lists only those.");
        tokens.MapGet("/current", GetCurrentTokenAsync).WithName("GetCurrentToken").Performs(Operations.ReadToken)
            .WithSummary("Describes the token making the call.");
        tokens.MapGet("/{id:guid}", GetTokenAsync).WithName("GetToken").Performs(Operations.ReadToken)
            .WithSummary("Describes one of the caller's tokens.");
        tokens.MapGet("/{id:guid}/usage", GetTokenUsageAsync).WithName("GetTokenUsage").Performs(Operations.ReadToken)
            .WithSummary("One of the caller's tokens' use over the last 90 UTC days: requests per day, the last 5 client addresses, refusals by reason.");
        tokens.MapDelete("/{id:guid}", RevokeTokenAsync).WithName("RevokeToken").Performs(Operations.RevokeToken)
            .WithSummary("Revokes one of the caller's tokens, and the tokens issued with it.");
        tokens.MapPost("/", IssueTokenAsync).WithName("IssueToken").Performs(Operations.IssueToken)
            .WithSummary("Issues a token for the caller; needs the current authentication code in X-OTP. Revoking the calling token revokes it too.")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
        tokens.MapPost("/{id:guid}/rotate", RotateTokenAsync).WithName("RotateToken").Performs(Operations.RotateToken)
            .WithSummary("Rotates one of the caller's tokens: a new secret (201, shown once), while the old one keeps working for overlapMinutes (0-10080). Needs the current authentication code in X-OTP.")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
        tokens.MapPut("/{id:guid}/allowed-addresses", SetAllowedAddressesAsync).WithName("SetTokenAllowedAddresses").Performs(Operations.SetAllowedAddresses)
            .WithSummary("Replaces the client addresses (IP addresses and CIDR networks) one of the caller's tokens may be used from; [] allows every address. Widening the list (or removing it) needs the current authentication code in X-OTP.")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
        return api;
    }

    // Every kind by default, as before: a script may need an access token's id (to revoke it, say).
    // The screens summarise access tokens under their parent; kind=standard gives that view here.
    private static async Task<Results<Ok<List<TokenResponse>>, ProblemHttpResult>> ListTokensAsync(
        string? kind, HttpContext http, TokenReader reader, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryParseKind(kind, out var only))
        {
            return ApiProblems.From(new DomainError("kind-unknown", "kind", "Set kind to standard or access, or leave it out for both."));
        }
        var tokens = await reader.ListOwnAsync(http.RestActor(), only, cancellationToken);
        if (!tokens.Succeeded)
        {
            return ApiProblems.From(tokens.Errors);
        }
        var now = time.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(tokens.Value!.Select(t => TokenResponse.From(t, now, usage)).ToList());
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

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> GetCurrentTokenAsync(
        HttpContext http, TokenReader reader, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken)
    {
        if (http.User.PanelTokenId() is not { } tokenId)
        {
            return ApiProblems.NotFound("This call was made with an external identity provider's token, not with a panel token.");
        }
        // The bearer handler read this very row a moment ago in this request, and the caller is its owner.
        if (http.Features.Get<AuthenticatedTokenFeature>() is { } current && current.Token.Id == tokenId)
        {
            return TypedResults.Ok(TokenResponse.From(current.Token, time.GetUtcNow().UtcDateTime, usage));
        }
        return await GetTokenAsync(tokenId, http, reader, usage, time, cancellationToken);
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> GetTokenAsync(
        Guid id, HttpContext http, TokenReader reader, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken)
    {
        var token = await reader.FindAsync(http.RestActor(), id, cancellationToken);
        return token.Succeeded
            ? TypedResults.Ok(TokenResponse.From(token.Value!, time.GetUtcNow().UtcDateTime, usage))
            : ApiProblems.From(token.Errors);
    }

    private static Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(
        Guid id, HttpContext http, TokenRevoker revoker, CancellationToken cancellationToken) =>
        TokenManagementApi.RevokeAsync(id, http.RestActor(), revoker, cancellationToken);

    private static async Task<Results<Created<IssuedTokenResponse>, Accepted<TokenRequestResponse>, ProblemHttpResult>> IssueTokenAsync(
        IssueTokenBody body, HttpContext http, TokenIssuer issuer, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = http.RestActor();
        // Issued with the calling token, so revoking that token revokes this one too.
        return await TokenGovernanceApi.IssueAsync(body, actor, actor.UserId!, actor.TokenId, http, issuer, usage, time, cancellationToken);
    }

    private static Task<Results<Created<IssuedTokenResponse>, ProblemHttpResult>> RotateTokenAsync(
        Guid id, RotateTokenBody? body, HttpContext http, TokenRotator rotator, TokenUsageRecorder usage, TimeProvider time,
        CancellationToken cancellationToken) =>
        TokenManagementApi.RotateAsync(id, body, http.RestActor(), http, rotator, usage, time, cancellationToken);

    private static Task<Results<Ok<TokenUsageResponse>, ProblemHttpResult>> GetTokenUsageAsync(
        Guid id, HttpContext http, TokenReader reader, IOptions<TokenUsageOptions> options, CancellationToken cancellationToken) =>
        TokenManagementApi.GetUsageAsync(id, http.RestActor(), reader, options, cancellationToken);

    private static Task<Results<Ok<TokenResponse>, ProblemHttpResult>> SetAllowedAddressesAsync(
        Guid id, AllowedAddressesBody? body, HttpContext http, AllowedAddressesEditor editor, TokenUsageRecorder usage, TimeProvider time,
        CancellationToken cancellationToken) =>
        TokenManagementApi.SetAllowedAddressesAsync(id, body, http.RestActor(), editor, usage, time, cancellationToken);
}

using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Api;

/// <summary>
/// Rotation, allowed addresses, revocation and usage, shared by the REST API (the caller's own
/// tokens) and the Configuration API (also others' tokens, with the token's delegated permissions):
/// the decisions are the Domain operations'; this reads the request, passes the actor and maps the
/// result with <see cref="ApiProblems.From(IReadOnlyList{DomainError})"/>.
/// </summary>
internal static class TokenManagementApi
{
    /// <summary><see cref="Operations.RotateToken"/>: 201 with the new secret, once; the step-up code comes in X-OTP.</summary>
    public static async Task<Results<Created<IssuedTokenResponse>, ProblemHttpResult>> RotateAsync(
        Guid id, RotateTokenBody? body, Actor actor, HttpContext http, TokenRotator rotator, TokenUsageRecorder usage, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (body?.OverlapMinutes is not { } overlap)
        {
            return ApiProblems.From(new DomainError(TokenErrorCodes.OverlapOutOfRange, TokenFields.Overlap,
                $"Give overlapMinutes: how long the old secret keeps working, from 0 to {TokenRules.MaxOverlapMinutes} (e.g. 60 for one hour)."));
        }
        var result = await rotator.RotateAsync(actor, id, overlap, cancellationToken);
        if (!result.Succeeded)
        {
            return ApiProblems.From(result.Errors);
        }
        http.Response.Headers.CacheControl = "no-store";
        var token = TokenResponse.From(result.NewToken!, time.GetUtcNow().UtcDateTime, usage);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new IssuedTokenResponse(token, result.Secret!));
    }

    /// <summary><see cref="Operations.SetAllowedAddresses"/>: widening the list needs the step-up code in X-OTP.</summary>
    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> SetAllowedAddressesAsync(
        Guid id, AllowedAddressesBody? body, Actor actor, AllowedAddressesEditor editor, TokenUsageRecorder usage, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (body?.AllowedAddresses is null)
        {
            return ApiProblems.From(new DomainError(TokenErrorCodes.AddressInvalid, TokenFields.AllowedAddresses,
                "Give allowedAddresses: a list of IP addresses and CIDR networks such as [\"10.0.0.0/8\", \"2001:db8::/32\"], or [] to allow every address."));
        }
        var result = await editor.SetAsync(actor, id, body.AllowedAddresses, cancellationToken);
        return result.Succeeded
            ? TypedResults.Ok(TokenResponse.From(result.Token!, time.GetUtcNow().UtcDateTime, usage))
            : ApiProblems.From(result.Errors);
    }

    /// <summary><see cref="Operations.RevokeToken"/>: 204, also when it was revoked already; someone else's reads as unknown.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid id, Actor actor, TokenRevoker revoker, CancellationToken cancellationToken)
    {
        var result = await revoker.RevokeAsync(actor, id, cancellationToken);
        return result.Succeeded ? TypedResults.NoContent() : ApiProblems.From(result.Errors);
    }

    /// <summary>
    /// <see cref="Operations.ReadToken"/>: a token's usage history, the caller's own or, with the
    /// inventory permission, anyone's; someone else's is answered like an unknown id (404).
    /// </summary>
    public static async Task<Results<Ok<TokenUsageResponse>, ProblemHttpResult>> GetUsageAsync(
        Guid id, Actor actor, TokenReader reader, IOptions<TokenUsageOptions> options, CancellationToken cancellationToken)
    {
        var report = await reader.ReadUsageAsync(actor, id, cancellationToken);
        return report.Succeeded
            ? TypedResults.Ok(TokenUsageResponse.Of(id, report.Value!, options.Value.FlushInterval))
            : ApiProblems.From(report.Errors);
    }
}

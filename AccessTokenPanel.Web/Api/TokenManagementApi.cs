using System.Security.Claims;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Api;

/// <summary>
/// Rotation, allowed addresses and usage, shared by the REST API (the caller's own tokens) and the
/// Configuration API (also others' tokens, with the token's delegated permissions): the rules are
/// <see cref="TokenRotator"/>'s and <see cref="AllowedAddressesEditor"/>'s; this maps them to HTTP.
/// </summary>
internal static class TokenManagementApi
{
    /// <summary>
    /// Checks what can be checked without the code first (so a wrong id or overlap does not spend
    /// it), then the step-up code in X-OTP, then rotates. 201 with the new secret, once.
    /// </summary>
    public static async Task<Results<Created<IssuedTokenResponse>, ValidationProblem, ProblemHttpResult>> RotateAsync(
        Guid id, RotateTokenBody? body, IReadOnlySet<string>? actingPermissions, ClaimsPrincipal user, HttpContext http,
        UserManager<PanelUser> users, SecondFactorService secondFactor, TokenRotator rotator, TokenUsageRecorder usage, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (body?.OverlapMinutes is not { } overlap)
        {
            return ApiProblems.Validation("overlapMinutes", TokenErrorCodes.OverlapOutOfRange,
                $"Give overlapMinutes: how long the old secret keeps working, from 0 to {TokenRules.MaxOverlapMinutes} (e.g. 60 for one hour).");
        }
        var owner = await users.FindByIdAsync(user.OwnerId());
        if (owner is null)
        {
            return ApiProblems.NotFound("The token's owner no longer exists.");
        }
        if (await rotator.CheckAsync(id, owner.Id, overlap, actingPermissions, cancellationToken) is { } refusal)
        {
            return Refused(refusal);
        }
        if (await BasicCredentials.VerifyCodeAsync(owner, http.Request.Headers[BasicCredentials.OtpHeader], secondFactor) is { } codeRefusal)
        {
            return codeRefusal;
        }
        var result = await rotator.RotateAsync(id, owner.Id, overlap, actingPermissions, cancellationToken);
        if (!result.Succeeded)
        {
            return Refused(result);
        }
        http.Response.Headers.CacheControl = "no-store";
        var token = TokenResponse.From(result.NewToken!, time.GetUtcNow().UtcDateTime, usage);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new IssuedTokenResponse(token, result.Secret!));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> SetAllowedAddressesAsync(
        Guid id, AllowedAddressesBody? body, IReadOnlySet<string>? actingPermissions, ClaimsPrincipal user,
        AllowedAddressesEditor editor, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body?.AllowedAddresses is null)
        {
            return ApiProblems.Validation("allowedAddresses", TokenErrorCodes.AddressInvalid,
                "Give allowedAddresses: a list of IP addresses and CIDR networks such as [\"10.0.0.0/8\", \"2001:db8::/32\"], or [] to allow every address.");
        }
        var result = await editor.SetAsync(id, user.OwnerId(), body.AllowedAddresses, actingPermissions, cancellationToken);
        return result.Outcome switch
        {
            AllowedAddressesOutcome.Changed or AllowedAddressesOutcome.Unchanged =>
                TypedResults.Ok(TokenResponse.From(result.Token!, time.GetUtcNow().UtcDateTime, usage)),
            AllowedAddressesOutcome.NotFound => ApiProblems.NotFound(result.Errors[0].Message),
            _ when result.Errors[0].Code == TokenErrorCodes.TokenNotRotatable =>
                ApiProblems.Problem(StatusCodes.Status409Conflict, result.Errors[0].Code, "Token not changeable", result.Errors[0].Message),
            _ => Validation(result.Errors),
        };
    }

    /// <summary>
    /// A token's usage history: the caller's own token, or any with <paramref name="actingPermissions"/>
    /// holding the inventory permission; someone else's is answered like an unknown id (404).
    /// </summary>
    public static async Task<Results<Ok<TokenUsageResponse>, ProblemHttpResult>> GetUsageAsync(
        Guid id, IReadOnlySet<string> actingPermissions, ClaimsPrincipal user, PanelDbContext db, TokenUsageHistory history,
        IOptions<TokenUsageOptions> options, CancellationToken cancellationToken)
    {
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null || !TokenUsageHistory.MaySee(token, user.OwnerId(), actingPermissions))
        {
            return ApiProblems.NotFound("You have no token with this id.");
        }
        var report = await history.ReadAsync(id, cancellationToken);
        return TypedResults.Ok(TokenUsageResponse.Of(id, report, options.Value.FlushInterval));
    }

    private static Results<Created<IssuedTokenResponse>, ValidationProblem, ProblemHttpResult> Refused(RotateTokenResult result)
    {
        var first = result.Errors[0];
        return result.Outcome switch
        {
            RotateOutcome.NotFound => ApiProblems.NotFound(first.Message),
            RotateOutcome.Outranked => ApiProblems.Problem(StatusCodes.Status403Forbidden, first.Code, "Owner outranks the caller", first.Message),
            RotateOutcome.NotRotatable => ApiProblems.Problem(StatusCodes.Status409Conflict, first.Code, "Token not rotatable", first.Message),
            _ => Validation(result.Errors),
        };
    }

    /// <summary>Domain errors keyed by their JSON field names.</summary>
    private static ValidationProblem Validation(IReadOnlyList<TokenError> errors) =>
        ApiProblems.Validation(errors[0].Code, errors.GroupBy(e => JsonField(e.Field)).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    private static string JsonField(string field) => field switch
    {
        TokenFields.Overlap => "overlapMinutes",
        TokenFields.AllowedAddresses => "allowedAddresses",
        _ => field,
    };
}

using System.Globalization;
using System.Text.Json.Serialization;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Api.Rest;

public sealed record UserTokenResponse(
    [property: JsonPropertyName("user-token")] string UserToken,
    [property: JsonPropertyName("expires")] DateTime Expires);

/// <summary>
/// The monitoring reference's shape: <c>expire_time</c> is <c>YYYY-MM-DD HH:MM:SS</c> in UTC, so its
/// clients work unchanged; <c>expires_at</c> carries the same instant in ISO 8601.
/// </summary>
public sealed record UserTokenInfoResponse(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("organization_name")] string OrganizationName,
    [property: JsonPropertyName("expire_time")] string ExpireTime,
    [property: JsonPropertyName("expires_at")] DateTime ExpiresAt,
    [property: JsonPropertyName("status")] string Status)
{
    public const string ExpireTimeFormat = "yyyy-MM-dd HH:mm:ss";
}

public sealed record UserTokenInfoBody([property: JsonPropertyName("token")] string? Token);

/// <summary>
/// Programmatic access with a person's credentials: HTTP Basic (email, password) plus the current
/// authentication code in <c>X-OTP</c> buys a 24-hour REST API token.
/// </summary>
internal static class UserTokenApi
{
    public const int LifetimeDays = 1;

    public static void MapUserTokenApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/user-token").AllowAnonymous().RequireRateLimiting(RateLimitPolicies.Credentials);
        group.MapPost("/", CreateAsync).WithName("CreateUserToken").Performs(Operations.IssueToken)
            .WithSummary("Issues a REST API token valid 24 hours for HTTP Basic credentials plus the X-OTP code.");
        group.MapGet("/", GetInfoAsync).WithName("GetUserTokenInfo").Performs(Operations.ReadToken)
            .WithSummary("Describes one of your tokens (HTTP Basic credentials). Prefer POST /info, which keeps the token out of URLs.");
        group.MapPost("/info", PostInfoAsync).WithName("PostUserTokenInfo").DisableAntiforgery().Performs(Operations.ReadToken)
            .WithSummary("Describes one of your tokens; the token goes in a JSON or form body.");
    }

    private static async Task<Results<Created<UserTokenResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext http, BasicCredentials credentials, TokenIssuer issuer, TimeProvider time, CancellationToken cancellationToken)
    {
        var (user, refusal) = await credentials.VerifyPasswordAsync(http, complete: false);
        if (user is null)
        {
            return refusal!;
        }
        var now = time.GetUtcNow().UtcDateTime;
        // Unique even for two tokens in one second (names of live tokens are unique per owner).
        var name = "user-token " + now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + " " + Guid.NewGuid().ToString("N")[..6];
        // The issuer checks the code in X-OTP for this user, once, as the step-up of issuing.
        var result = await issuer.IssueAsync(BasicCredentials.CodeActor(http, user, "user-token with a password and code"),
            new IssueTokenRequest(user.Id, name, ApiType.Rest, null, TokenExpiry.InDays(LifetimeDays)), cancellationToken);
        if (result.IsPending)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "approval-pending", "Waiting for approval",
                $"The token policy makes this token wait for someone else's approval: request {result.Request!.Id}; take it with POST /api/v1/token-requests/{result.Request.Id}/take.");
        }
        if (!result.Succeeded)
        {
            var error = result.Errors[0];
            return error.Code == TokenErrorCodes.ApiDisabled
                ? ApiProblems.Problem(StatusCodes.Status403Forbidden, error.Code, "REST API turned off", error.Message)
                : error.Kind == ErrorKind.Invalid ? ApiProblems.Validation(error.Field, error.Code, error.Message) : ApiProblems.From(error);
        }
        await credentials.PasswordAndCodeSucceededAsync(user);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/tokens/{result.Token!.Id}", new UserTokenResponse(result.Secret!, result.Token.ExpiresAt));
    }

    private static Task<Results<Ok<UserTokenInfoResponse>, ValidationProblem, ProblemHttpResult>> GetInfoAsync(
        [FromQuery] string? token, HttpContext http, BasicCredentials credentials, PanelDbContext db, SettingsStore settings,
        TimeProvider time, CancellationToken cancellationToken) =>
        DescribeAsync(token, http, credentials, db, settings, time, cancellationToken);

    private static async Task<Results<Ok<UserTokenInfoResponse>, ValidationProblem, ProblemHttpResult>> PostInfoAsync(
        HttpContext http, BasicCredentials credentials, PanelDbContext db, SettingsStore settings,
        TimeProvider time, CancellationToken cancellationToken)
    {
        string? token;
        if (http.Request.HasFormContentType)
        {
            var (form, problem) = await ApiForm.ReadAsync(http.Request);
            if (form is null)
            {
                return ApiProblems.Validation("token", "body-invalid", problem!);
            }
            token = form["token"];
        }
        else if (http.Request.HasJsonContentType())
        {
            try
            {
                token = (await http.Request.ReadFromJsonAsync<UserTokenInfoBody>(cancellationToken))?.Token;
            }
            catch (System.Text.Json.JsonException)
            {
                return ApiProblems.Validation("token", "body-invalid", "The body is not valid JSON: send {\"token\": \"...\"}.");
            }
        }
        else
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                "Send the token as application/json ({\"token\": \"...\"}) or as a form field named token.");
        }
        return await DescribeAsync(token, http, credentials, db, settings, time, cancellationToken);
    }

    private static async Task<Results<Ok<UserTokenInfoResponse>, ValidationProblem, ProblemHttpResult>> DescribeAsync(
        string? presented, HttpContext http, BasicCredentials credentials, PanelDbContext db, SettingsStore settings,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (user, refusal) = await credentials.VerifyPasswordAsync(http);
        if (user is null)
        {
            return refusal!;
        }
        if (string.IsNullOrWhiteSpace(presented))
        {
            return ApiProblems.Validation("token", "token-required", "Give the token to describe.");
        }
        if (TokenSecret.Check(presented.Trim(), out _) != TokenFormatCheck.WellFormed)
        {
            return ApiProblems.Validation("token", "token-malformed", "This is not an AccessTokenPanel token, or it was mistyped.");
        }
        var hash = TokenSecret.Hash(presented.Trim());
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.SecretHash == hash && t.OwnerId == user.Id, cancellationToken);
        if (token is null)
        {
            return ApiProblems.NotFound("You have no such token.");
        }
        var organization = (await settings.GetAsync(cancellationToken)).OrganizationName;
        return TypedResults.Ok(new UserTokenInfoResponse(
            string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName,
            user.Email, organization, token.ExpiresAt.ToString(UserTokenInfoResponse.ExpireTimeFormat, CultureInfo.InvariantCulture),
            token.ExpiresAt, token.StatusAt(time.GetUtcNow().UtcDateTime).ToString().ToLowerInvariant()));
    }
}

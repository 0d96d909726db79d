using AccessTokenPanel.Domain.Authorization;
using System.Security.Claims;
using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AccessTokenPanel.Web.Api.Configuration;

/// <summary><c>/api/config/v1/external-token-validators</c>: the issuers whose JWTs the REST API accepts.</summary>
internal static class ExternalTokenValidatorsApi
{
    public static void MapExternalTokenValidatorsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/external-token-validators");
        group.MapGet("/", ListAsync).RequirePermission(Permission.SettingsRead).Performs(Operations.ReadExternalValidators)
            .WithName("ListExternalTokenValidators").WithSummary("Lists the external token validators.");
        group.MapGet("/{id:guid}", GetAsync).RequirePermission(Permission.SettingsRead).Performs(Operations.ReadExternalValidators)
            .WithName("GetExternalTokenValidator").WithSummary("Reads one external token validator.");
        // settings.write is the first filter; the Domain then asks for every permission and the
        // owner's current code in X-OTP (a validator decides who a JWT may act as).
        group.MapPost("/", CreateAsync).RequirePermission(Permission.SettingsWrite).Performs(Operations.ChangeExternalValidators)
            .WithName("CreateExternalTokenValidator")
            .WithSummary("Trusts an issuer's JWTs: name, issuer, jwksUrl (optional: discovery otherwise), audience, userClaim (email or sub), "
                + "maxRole (the highest role a token may map to; default User Administrator), enabled. Needs a token with every permission "
                + "and the owner's current authentication code in X-OTP.")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
        group.MapPut("/{id:guid}", UpdateAsync).RequirePermission(Permission.SettingsWrite).Performs(Operations.ChangeExternalValidators)
            .WithName("UpdateExternalTokenValidator")
            .WithSummary("Replaces an external token validator. Needs a token with every permission and the owner's current authentication code in X-OTP.")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
        group.MapDelete("/{id:guid}", DeleteAsync).RequirePermission(Permission.SettingsWrite).Performs(Operations.ChangeExternalValidators)
            .WithName("DeleteExternalTokenValidator")
            .WithSummary("Removes an external token validator: its issuer's tokens stop working. Needs a token with every permission and the owner's current authentication code in X-OTP.")
            .RequireRateLimiting(RateLimitPolicies.Credentials);
    }

    private static async Task<Results<Ok<List<ExternalTokenValidatorResponse>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ExternalTokenValidators validators, CancellationToken cancellationToken)
    {
        var list = await validators.ListAsync(http.ConfigurationActor(), cancellationToken);
        return list.Succeeded ? TypedResults.Ok(list.Value!.Select(ToResponse).ToList()) : ApiProblems.From(list.Errors);
    }

    private static async Task<Results<Ok<ExternalTokenValidatorResponse>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, ExternalTokenValidators validators, CancellationToken cancellationToken)
    {
        var list = await validators.ListAsync(http.ConfigurationActor(), cancellationToken);
        if (!list.Succeeded)
        {
            return ApiProblems.From(list.Errors);
        }
        return list.Value!.SingleOrDefault(v => v.Id == id) is { } validator
            ? TypedResults.Ok(ToResponse(validator))
            : ApiProblems.NotFound("There is no external token validator with this id.");
    }

    private static async Task<Results<Created<ExternalTokenValidatorResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        ExternalTokenValidatorInput body, ClaimsPrincipal user, HttpContext http, ExternalTokenValidatorChanges changes, CancellationToken cancellationToken)
    {
        var result = await changes.CreateAsync(http.ConfigurationActor(), body, cancellationToken);
        return result.Outcome switch
        {
            ExternalTokenValidatorOutcome.Done => TypedResults.Created(
                $"/api/config/v1/external-token-validators/{result.Validator!.Id}", ToResponse(result.Validator)),
            ExternalTokenValidatorOutcome.Invalid => Invalid(result),
            _ => Refused(result),
        };
    }

    private static async Task<Results<Ok<ExternalTokenValidatorResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, ExternalTokenValidatorInput body, ClaimsPrincipal user, HttpContext http, ExternalTokenValidatorChanges changes, CancellationToken cancellationToken)
    {
        var result = await changes.UpdateAsync(http.ConfigurationActor(), id, body, cancellationToken);
        return result.Outcome switch
        {
            ExternalTokenValidatorOutcome.Done => TypedResults.Ok(ToResponse(result.Validator!)),
            ExternalTokenValidatorOutcome.Invalid => Invalid(result),
            _ => Refused(result),
        };
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, HttpContext http, ExternalTokenValidatorChanges changes, CancellationToken cancellationToken)
    {
        var result = await changes.DeleteAsync(http.ConfigurationActor(), id, cancellationToken);
        return result.Outcome switch
        {
            ExternalTokenValidatorOutcome.Done => TypedResults.NoContent(),
            ExternalTokenValidatorOutcome.Invalid => Invalid(result),
            _ => Refused(result),
        };
    }

    /// <summary>The one mapping of the Domain's refusals other than input errors to problem details (each with the Domain's code).</summary>
    private static ProblemHttpResult Refused(ExternalTokenValidatorResult result)
    {
        var first = result.Errors[0];
        return result.Outcome switch
        {
            ExternalTokenValidatorOutcome.NotFound => ApiProblems.NotFound(first.Message),
            ExternalTokenValidatorOutcome.StepUpRefused => StepUpProblem(first),
            _ => ApiProblems.Problem(StatusCodes.Status403Forbidden, first.Code, "Every permission required", first.Message),
        };
    }

    private static ProblemHttpResult StepUpProblem(DomainError error) => error.Code switch
    {
        ExternalTokenValidatorErrorCodes.CodeRequired => ApiProblems.Problem(StatusCodes.Status401Unauthorized, error.Code,
            "Authentication code required",
            $"Send the current code from the token owner's authenticator app in the {BasicCredentials.OtpHeader} header: changing a validator needs it."),
        ExternalTokenValidatorErrorCodes.CodeReplayed => ApiProblems.Problem(StatusCodes.Status401Unauthorized, error.Code, "Authentication code already used", error.Message),
        ExternalTokenValidatorErrorCodes.NotEnrolled => ApiProblems.Problem(StatusCodes.Status403Forbidden, error.Code, "Two-factor authentication not set up", error.Message),
        ExternalTokenValidatorErrorCodes.LockedOut => ApiProblems.Problem(StatusCodes.Status429TooManyRequests, error.Code, "Account locked", error.Message),
        ExternalTokenValidatorErrorCodes.TooManyAttempts => ApiProblems.Problem(StatusCodes.Status429TooManyRequests, error.Code, "Too many attempts at once", error.Message),
        _ => ApiProblems.Problem(StatusCodes.Status401Unauthorized, error.Code, "Authentication code not valid", error.Message),
    };

    // The input's fields only: a missing code is said once the input is right (then as a 401).
    private static ValidationProblem Invalid(ExternalTokenValidatorResult result)
    {
        var fieldErrors = result.Errors.Where(e => e.Field != ExternalTokenValidatorFields.StepUpCode).ToList();
        return ApiProblems.Validation(fieldErrors[0].Code,
            fieldErrors.GroupBy(e => JsonField(e.Field)).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
    }

    private static string JsonField(string field) => field.Length == 0 ? field : char.ToLowerInvariant(field[0]) + field[1..];

    internal static ExternalTokenValidatorResponse ToResponse(ExternalTokenValidator v) =>
        new(v.Id, v.Name, v.Issuer, v.JwksUrl, v.Audience, v.UserClaim.ToWire(), v.MaxRole, v.Enabled, v.CreatedAt, v.UpdatedAt);
}

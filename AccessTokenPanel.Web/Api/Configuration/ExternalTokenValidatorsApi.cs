using System.Security.Claims;
using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AccessTokenPanel.Web.Api.Configuration;

/// <summary><c>/api/config/v1/external-token-validators</c>: the issuers whose JWTs the REST API accepts.</summary>
internal static class ExternalTokenValidatorsApi
{
    public static void MapExternalTokenValidatorsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/external-token-validators");
        group.MapGet("/", ListAsync).RequirePermission(Permission.SettingsRead)
            .WithName("ListExternalTokenValidators").WithSummary("Lists the external token validators.");
        group.MapGet("/{id:guid}", GetAsync).RequirePermission(Permission.SettingsRead)
            .WithName("GetExternalTokenValidator").WithSummary("Reads one external token validator.");
        group.MapPost("/", CreateAsync).RequirePermission(Permission.SettingsWrite)
            .WithName("CreateExternalTokenValidator")
            .WithSummary("Trusts an issuer's JWTs: name, issuer, jwksUrl (optional: discovery otherwise), audience, userClaim (email or sub), enabled.");
        group.MapPut("/{id:guid}", UpdateAsync).RequirePermission(Permission.SettingsWrite)
            .WithName("UpdateExternalTokenValidator").WithSummary("Replaces an external token validator.");
        group.MapDelete("/{id:guid}", DeleteAsync).RequirePermission(Permission.SettingsWrite)
            .WithName("DeleteExternalTokenValidator").WithSummary("Removes an external token validator: its issuer's tokens stop working.");
    }

    private static async Task<Ok<List<ExternalTokenValidatorResponse>>> ListAsync(ExternalTokenValidators validators, CancellationToken cancellationToken) =>
        TypedResults.Ok((await validators.ListAsync(cancellationToken)).Select(ToResponse).ToList());

    private static async Task<Results<Ok<ExternalTokenValidatorResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ExternalTokenValidators validators, CancellationToken cancellationToken) =>
        await validators.FindAsync(id, cancellationToken) is { } validator
            ? TypedResults.Ok(ToResponse(validator))
            : ApiProblems.NotFound("There is no external token validator with this id.");

    private static async Task<Results<Created<ExternalTokenValidatorResponse>, ValidationProblem>> CreateAsync(
        ExternalTokenValidatorInput body, ClaimsPrincipal user, ExternalTokenValidatorChanges changes, CancellationToken cancellationToken)
    {
        var result = await changes.CreateAsync(body, user.OwnerId(), user.ViaToken("Configuration API"), cancellationToken);
        if (!result.Succeeded)
        {
            return Invalid(result);
        }
        var response = ToResponse(result.Validator!);
        return TypedResults.Created($"/api/config/v1/external-token-validators/{response.Id}", response);
    }

    private static async Task<Results<Ok<ExternalTokenValidatorResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, ExternalTokenValidatorInput body, ClaimsPrincipal user, ExternalTokenValidatorChanges changes, CancellationToken cancellationToken)
    {
        var result = await changes.UpdateAsync(id, body, user.OwnerId(), user.ViaToken("Configuration API"), cancellationToken);
        if (result is null)
        {
            return ApiProblems.NotFound("There is no external token validator with this id.");
        }
        if (!result.Succeeded)
        {
            return Invalid(result);
        }
        return TypedResults.Ok(ToResponse(result.Validator!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, ExternalTokenValidatorChanges changes, CancellationToken cancellationToken)
    {
        if (!await changes.DeleteAsync(id, user.OwnerId(), user.ViaToken("Configuration API"), cancellationToken))
        {
            return ApiProblems.NotFound("There is no external token validator with this id.");
        }
        return TypedResults.NoContent();
    }

    private static ValidationProblem Invalid(ExternalTokenValidatorResult result) =>
        ApiProblems.Validation(result.Errors[0].Code,
            result.Errors.GroupBy(e => JsonField(e.Field)).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    private static string JsonField(string field) => field.Length == 0 ? field : char.ToLowerInvariant(field[0]) + field[1..];

    internal static ExternalTokenValidatorResponse ToResponse(ExternalTokenValidator v) =>
        new(v.Id, v.Name, v.Issuer, v.JwksUrl, v.Audience, v.UserClaim.ToWire(), v.Enabled, v.CreatedAt, v.UpdatedAt);
}

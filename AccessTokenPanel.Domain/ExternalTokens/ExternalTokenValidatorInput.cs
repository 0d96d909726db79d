namespace AccessTokenPanel.Domain.ExternalTokens;

/// <summary>
/// A validator as an administrator enters it (Settings page or Configuration API). <see cref="UserClaim"/>
/// is <c>email</c> or <c>sub</c>; a null <see cref="Enabled"/> means enabled.
/// </summary>
public sealed record ExternalTokenValidatorInput(
    string? Name,
    string? Issuer,
    string? JwksUrl,
    string? Audience,
    string? UserClaim,
    bool? Enabled);

/// <summary>Something wrong in an <see cref="ExternalTokenValidatorInput"/>; <see cref="Field"/> is the input's property name.</summary>
public sealed record ExternalTokenValidatorError(string Code, string Field, string Message);

/// <summary>Either the saved validator, or the errors (nothing saved).</summary>
public sealed record ExternalTokenValidatorResult(ExternalTokenValidator? Validator, IReadOnlyList<ExternalTokenValidatorError> Errors)
{
    public bool Succeeded => Validator is not null;
}

public static class ExternalUserClaims
{
    public const string Email = "email";
    public const string Subject = "sub";

    public static string ToWire(this ExternalUserClaim claim) => claim == ExternalUserClaim.Subject ? Subject : Email;

    public static ExternalUserClaim? FromWire(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "email" => ExternalUserClaim.Email,
        "sub" or "subject" => ExternalUserClaim.Subject,
        _ => null,
    };
}

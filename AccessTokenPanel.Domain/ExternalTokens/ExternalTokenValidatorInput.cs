namespace AccessTokenPanel.Domain.ExternalTokens;

/// <summary>
/// A validator as an administrator enters it (Settings page or Configuration API). <see cref="UserClaim"/>
/// is <c>email</c> or <c>sub</c>; a null <see cref="Enabled"/> means enabled; a null <see cref="MaxRole"/>
/// means <see cref="ExternalTokenValidator.DefaultMaxRole"/>.
/// </summary>
public sealed record ExternalTokenValidatorInput(
    string? Name,
    string? Issuer,
    string? JwksUrl,
    string? Audience,
    string? UserClaim,
    bool? Enabled,
    string? MaxRole = null);

public enum ExternalTokenValidatorOutcome
{
    /// <summary>Added, changed or removed.</summary>
    Done,
    NotFound,
    /// <summary>The actor does not hold every permission: trust anchors are theirs alone.</summary>
    Forbidden,
    /// <summary>The input has errors (and the code, when also missing, says so too); the code was not checked.</summary>
    Invalid,
    /// <summary>The step-up code was missing or refused; the one error says which way.</summary>
    StepUpRefused,
}

/// <summary>What came of a change: the validator as saved (as it was, for a removal), or why nothing changed.</summary>
public sealed record ExternalTokenValidatorResult(
    ExternalTokenValidatorOutcome Outcome, ExternalTokenValidator? Validator, IReadOnlyList<DomainError> Errors)
{
    public bool Succeeded => Outcome == ExternalTokenValidatorOutcome.Done;
}

public static class ExternalTokenValidatorFields
{
    /// <summary>The field of step-up errors: the authentication code sent with the change.</summary>
    public const string StepUpCode = "StepUpCode";

    /// <summary>The field of errors about the change as a whole (permission, a validator gone).</summary>
    public const string Change = "";
}

/// <summary>The codes of <see cref="DomainError"/> outside the input's own fields.</summary>
public static class ExternalTokenValidatorErrorCodes
{
    public const string NotFound = "not-found";
    public const string EveryPermissionRequired = "every-permission-required";
    public const string CodeRequired = "code-required";
    public const string CodeInvalid = "code-invalid";
    public const string CodeReplayed = "code-replayed";
    public const string LockedOut = "locked-out";
    public const string TooManyAttempts = "too-many-attempts";
    public const string NotEnrolled = "not-enrolled";
    public const string NameInvalid = "name-invalid";
    public const string NameTaken = "name-taken";
    public const string IssuerInvalid = "issuer-invalid";
    public const string JwksUrlInvalid = "jwks-url-invalid";
    public const string AudienceInvalid = "audience-invalid";
    public const string UserClaimInvalid = "user-claim-invalid";
    public const string MaxRoleInvalid = "max-role-invalid";
    public const string MaxRoleNotDelegable = "max-role-not-delegable";
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

namespace AccessTokenPanel.Web.Api.Configuration;

/// <summary>
/// <c>directCallApiTypes</c>: the APIs long-lived tokens may call themselves; the others accept only
/// access tokens from POST /api/v1/oauth/token, which live <c>accessTokenLifetimeMinutes</c>.
/// </summary>
public sealed record TokenPolicyResponse(
    int MaxLifetimeDays,
    int DefaultExpiryDays,
    IReadOnlyList<string> AllowedApiTypes,
    int AccessTokenLifetimeMinutes,
    IReadOnlyList<string> DirectCallApiTypes);

/// <summary>
/// The body of PUT token-policy: a replacement, so the first three fields are required (a missing list
/// is not an empty one); the fields added later (access tokens) keep their value when left out.
/// </summary>
public sealed record TokenPolicyBody(
    int? MaxLifetimeDays,
    int? DefaultExpiryDays,
    IReadOnlyList<string>? AllowedApiTypes,
    int? AccessTokenLifetimeMinutes,
    IReadOnlyList<string>? DirectCallApiTypes);

/// <summary>
/// An external token validator; <c>userClaim</c> is <c>email</c> or <c>sub</c>; <c>maxRole</c> the
/// highest panel role whose user its tokens may act as.
/// </summary>
public sealed record ExternalTokenValidatorResponse(
    Guid Id,
    string Name,
    string Issuer,
    string? JwksUrl,
    string Audience,
    string UserClaim,
    string MaxRole,
    bool Enabled,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>UpdatedAt is null until the settings are first changed.</summary>
public sealed record SettingsResponse(TokenPolicyResponse TokenPolicy, string OrganizationName, DateTime? UpdatedAt);

/// <summary>Fields left out (null) keep their value.</summary>
public sealed record SettingsPatch(
    int? MaxLifetimeDays,
    int? DefaultExpiryDays,
    IReadOnlyList<string>? AllowedApiTypes,
    string? OrganizationName,
    int? AccessTokenLifetimeMinutes = null,
    IReadOnlyList<string>? DirectCallApiTypes = null);

public sealed record UserResponse(
    string Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    bool Disabled,
    bool TwoFactorEnabled,
    string? ExternalId,
    DateTime CreatedAt);

/// <summary>A new user; without a password they cannot sign in until one is set (e.g. SSO-provisioned accounts).</summary>
public sealed record CreateUserBody(string? Email, string? DisplayName, IReadOnlyList<string>? Roles, string? Password, string? ExternalId);

/// <summary>Fields left out (null) keep their value. Setting a password ends the user's sessions; their second factor stays.</summary>
public sealed record UpdateUserBody(string? Email, string? DisplayName, string? ExternalId, bool? Disabled, string? Password);

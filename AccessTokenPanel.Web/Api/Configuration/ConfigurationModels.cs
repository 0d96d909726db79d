namespace AccessTokenPanel.Web.Api.Configuration;

public sealed record TokenPolicyResponse(int MaxLifetimeDays, int DefaultExpiryDays, IReadOnlyList<string> AllowedApiTypes);

/// <summary>UpdatedAt is null until the settings are first changed.</summary>
public sealed record SettingsResponse(TokenPolicyResponse TokenPolicy, string OrganizationName, DateTime? UpdatedAt);

/// <summary>Fields left out (null) keep their value.</summary>
public sealed record SettingsPatch(int? MaxLifetimeDays, int? DefaultExpiryDays, IReadOnlyList<string>? AllowedApiTypes, string? OrganizationName);

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

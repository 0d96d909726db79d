namespace AccessTokenPanel.Domain.Users;

public sealed record NewUserRequest
{
    public required string Email { get; init; }
    /// <summary>The sign-in name; the email when not given (SCIM may send a different userName).</summary>
    public string? UserName { get; init; }
    public string? DisplayName { get; init; }
    public string? ExternalId { get; init; }
    /// <summary>SCIM name parts (RFC 7643 4.1.1), kept apart from the display name.</summary>
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public string? FormattedName { get; init; }
    /// <summary>An initial password; without one the user cannot sign in until one is set.</summary>
    public string? Password { get; init; }
    public IReadOnlyList<string> Roles { get; init; } = [];
    public bool Active { get; init; } = true;
}

/// <summary>Changes to a user; null leaves a field as it is (<see cref="ExternalIdSet"/> says whether ExternalId is given).</summary>
public sealed record UserChange
{
    public string? UserName { get; init; }
    public string? Email { get; init; }
    public string? DisplayName { get; init; }
    public bool ExternalIdSet { get; init; }
    public string? ExternalId { get; init; }
    public bool? Active { get; init; }
    /// <summary>SCIM name parts: null leaves a part as it is, "" clears it.</summary>
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public string? FormattedName { get; init; }
    /// <summary>A new password. It ends the user's sessions and leaves their second factor as it is.</summary>
    public string? Password { get; init; }
}

public enum UserAccountError
{
    None,
    NotFound,
    /// <summary>The actor does not hold the permission to manage users.</summary>
    Forbidden,
    /// <summary>The target holds permissions the actor does not (e.g. a User Administrator and a Super Administrator).</summary>
    OutrankedTarget,
    /// <summary>Disabling or deleting yourself would lock you out.</summary>
    Self,
    RoleUnknown,
    RoleNotDelegable,
    /// <summary>Another user has this user name or email.</summary>
    Duplicate,
    Invalid,
}

/// <summary>The outcome of a user change; <see cref="Field"/> names the request field at fault (camelCase).</summary>
public sealed record UserAccountResult(UserAccountError Error, string Message = "", string? Field = null, PanelUser? User = null)
{
    public bool Succeeded => Error == UserAccountError.None;

    public static UserAccountResult Ok(PanelUser user) => new(UserAccountError.None, User: user);
}

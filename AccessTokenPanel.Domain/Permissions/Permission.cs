namespace AccessTokenPanel.Domain.Permissions;

/// <summary>The named permissions that panel roles (and so delegated roles) are made of.</summary>
public static class Permission
{
    public const string SettingsRead = "settings.read";
    public const string SettingsWrite = "settings.write";
    public const string UsersRead = "users.read";
    public const string UsersWrite = "users.write";
    /// <summary>See every user's tokens (the inventory).</summary>
    public const string TokensReadAll = "tokens.read-all";
    /// <summary>Revoke any user's token.</summary>
    public const string TokensRevokeAll = "tokens.revoke-all";
    public const string AuditRead = "audit.read";
    /// <summary>Approve or deny someone else's request for a token that the policy makes wait for approval.</summary>
    public const string TokensApprove = "tokens.approve";

    public static IReadOnlyList<string> All { get; } =
        [SettingsRead, SettingsWrite, UsersRead, UsersWrite, TokensReadAll, TokensRevokeAll, AuditRead, TokensApprove];
}

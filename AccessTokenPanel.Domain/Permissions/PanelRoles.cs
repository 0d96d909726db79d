namespace AccessTokenPanel.Domain.Permissions;

/// <summary>The catalogue of panel roles and the delegation rule.</summary>
public static class PanelRoles
{
    public const string ReadOnly = "Read Only";
    public const string TokenPolicyAdministrator = "Token Policy Administrator";
    public const string UserAdministrator = "User Administrator";
    public const string SuperAdministrator = "Super Administrator";

    public static IReadOnlyList<PanelRole> All { get; } =
    [
        new(ReadOnly, "Reads settings, users and the audit log; changes nothing.",
            Set(Permission.SettingsRead, Permission.UsersRead, Permission.AuditRead)),
        new(TokenPolicyAdministrator, "Sets the token policy, manages every user's tokens and approves token requests.",
            Set(Permission.SettingsRead, Permission.SettingsWrite, Permission.TokensReadAll,
                Permission.TokensRevokeAll, Permission.AuditRead, Permission.TokensApprove)),
        new(UserAdministrator, "Creates, disables and enables users.",
            Set(Permission.SettingsRead, Permission.UsersRead, Permission.UsersWrite, Permission.AuditRead)),
        new(SuperAdministrator, "Everything.", Set([.. Permission.All])),
    ];

    public static PanelRole? Find(string? name) =>
        All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>The union of the permissions of the named roles; unknown names add nothing.</summary>
    public static IReadOnlySet<string> PermissionsOf(IEnumerable<string> roleNames) =>
        roleNames.Select(Find).OfType<PanelRole>().SelectMany(r => r.Permissions).ToHashSet(StringComparer.Ordinal);

    /// <summary>A user may delegate a role only when they hold every one of its permissions.</summary>
    public static bool CanDelegate(IReadOnlySet<string> holderPermissions, PanelRole role) =>
        role.Permissions.IsSubsetOf(holderPermissions);

    /// <summary>
    /// An administrator role holds a permission beyond Read Only's (any write, manage, approve or
    /// token-inventory permission): such a role is never given without a person deciding it
    /// (e.g. never to a user created by single sign-on).
    /// </summary>
    public static bool IsAdministratorRole(PanelRole role) =>
        !role.Permissions.IsSubsetOf(Find(ReadOnly)!.Permissions);

    public static IReadOnlyList<PanelRole> DelegableBy(IReadOnlySet<string> holderPermissions) =>
        All.Where(r => CanDelegate(holderPermissions, r)).ToList();

    private static HashSet<string> Set(params string[] permissions) => new(permissions, StringComparer.Ordinal);
}

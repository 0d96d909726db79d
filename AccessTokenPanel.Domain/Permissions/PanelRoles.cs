using System.Linq.Expressions;

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

    /// <summary>
    /// A role's bit in a set of roles carried as one number (the bearer check's lookup reads a token
    /// owner's roles in the same statement as the token, as the sum of their bits): bit i is
    /// <see cref="All"/>[i]; an unknown name is 0.
    /// </summary>
    public static int Bit(string? roleName)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i].Name, roleName, StringComparison.Ordinal))
            {
                return 1 << i;
            }
        }
        return 0;
    }

    /// <summary>
    /// <see cref="Bit"/> as an expression a query provider can translate (a chain of comparisons
    /// with the catalogue's names), written from <see cref="All"/> so that a new role needs no
    /// change to any query.
    /// </summary>
    public static Expression<Func<string?, int>> BitExpression { get; } = BuildBitExpression();

    private static readonly IReadOnlySet<string>[] PermissionsByRoleSet =
        Enumerable.Range(0, 1 << All.Count)
            .Select(set => PermissionsOf(All.Where((_, i) => (set & (1 << i)) != 0).Select(r => r.Name)))
            .ToArray();

    /// <summary>The union of the permissions of a set of roles given as the sum of their <see cref="Bit"/>s (shared, not allocated per call).</summary>
    public static IReadOnlySet<string> PermissionsOfRoleSet(int roleSet) =>
        roleSet >= 0 && roleSet < PermissionsByRoleSet.Length
            ? PermissionsByRoleSet[roleSet]
            : throw new ArgumentOutOfRangeException(nameof(roleSet), roleSet, "Not a set of panel roles.");

    private static Expression<Func<string?, int>> BuildBitExpression()
    {
        var name = Expression.Parameter(typeof(string), "roleName");
        Expression body = Expression.Constant(0);
        for (var i = All.Count - 1; i >= 0; i--)
        {
            body = Expression.Condition(Expression.Equal(name, Expression.Constant(All[i].Name)), Expression.Constant(1 << i), body);
        }
        return Expression.Lambda<Func<string?, int>>(body, name);
    }

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

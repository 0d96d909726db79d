using AccessTokenPanel.Domain.Permissions;

namespace AccessTokenPanel.Tests.Permissions;

public class PanelRolesTests
{
    [Fact]
    public void SuperAdministratorCanDelegateEveryRole()
    {
        var permissions = PanelRoles.PermissionsOf([PanelRoles.SuperAdministrator]);
        Assert.Equal(PanelRoles.All.Count, PanelRoles.DelegableBy(permissions).Count);
    }

    [Fact]
    public void UserAdministratorCannotDelegateTokenPolicyAdministratorNorSuperAdministrator()
    {
        var permissions = PanelRoles.PermissionsOf([PanelRoles.UserAdministrator]);
        var delegable = PanelRoles.DelegableBy(permissions).Select(r => r.Name).ToList();

        Assert.Contains(PanelRoles.UserAdministrator, delegable);
        Assert.DoesNotContain(PanelRoles.TokenPolicyAdministrator, delegable);
        Assert.DoesNotContain(PanelRoles.SuperAdministrator, delegable);
    }

    [Fact]
    public void ReadOnlyHoldsNoWritePermission()
    {
        var readOnly = PanelRoles.Find(PanelRoles.ReadOnly)!;
        Assert.DoesNotContain(Permission.SettingsWrite, readOnly.Permissions);
        Assert.DoesNotContain(Permission.UsersWrite, readOnly.Permissions);
        Assert.DoesNotContain(Permission.TokensRevokeAll, readOnly.Permissions);
    }

    [Fact]
    public void PermissionsOfSeveralRolesAreTheirUnion()
    {
        var both = PanelRoles.PermissionsOf([PanelRoles.UserAdministrator, PanelRoles.TokenPolicyAdministrator]);
        Assert.Contains(Permission.UsersWrite, both);
        Assert.Contains(Permission.SettingsWrite, both);
        Assert.DoesNotContain(Permission.TokensReadAll, PanelRoles.PermissionsOf([PanelRoles.UserAdministrator]));
    }

    [Fact]
    public void UnknownRoleNamesGrantNothing()
    {
        Assert.Empty(PanelRoles.PermissionsOf(["Root", "super administrator"]));
        Assert.Null(PanelRoles.Find("super administrator"));
    }
}

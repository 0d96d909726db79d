using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Permissions;

/// <summary>A user's current permissions: the union of their panel roles' permission sets.</summary>
public sealed class PermissionResolver(PanelDbContext db)
{
    public async Task<IReadOnlySet<string>> GetPermissionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var roleNames = await (
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            where userRole.UserId == userId
            select role.Name).ToListAsync(cancellationToken);
        return PanelRoles.PermissionsOf(roleNames.OfType<string>());
    }
}

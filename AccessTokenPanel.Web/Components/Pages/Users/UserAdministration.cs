using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Components.Pages.Users;

public enum UserChangeError
{
    None,
    NotFound,
    /// <summary>The target holds permissions the actor does not (e.g. a User Administrator and a Super Administrator).</summary>
    OutrankedTarget,
    /// <summary>Disabling yourself would lock you out.</summary>
    Self,
    RoleNotDelegable,
    Invalid,
}

public sealed record UserChangeResult(UserChangeError Error, string Message = "", string? Field = null)
{
    public bool Succeeded => Error == UserChangeError.None;
    public static readonly UserChangeResult Ok = new(UserChangeError.None);
}

public sealed record UserRow(
    string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsDisabled, bool TwoFactorEnabled,
    bool IsLockedOut, DateTime CreatedAt);

/// <summary>
/// What a user administrator does to other users: create with a panel role, disable, enable,
/// reset the second factor. Each change is checked against the actor's permissions (nobody
/// manages a user who holds permissions they lack) and audited in the same save.
/// </summary>
public sealed class UserAdministration(
    PanelDbContext db, UserManager<PanelUser> users, PermissionResolver permissions, AuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var roles = await (
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            select new { userRole.UserId, role.Name }).ToListAsync(cancellationToken);
        var rolesByUser = roles.ToLookup(r => r.UserId, r => r.Name ?? "");
        var list = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var rows = new List<UserRow>(list.Count);
        foreach (var u in list)
        {
            // Identity decides lockout on its own clock; ask it rather than compare here.
            rows.Add(new UserRow(
                u.Id, u.Email ?? u.UserName ?? "", u.DisplayName, rolesByUser[u.Id].Order().ToList(), u.IsDisabled,
                u.TwoFactorEnabled, await users.IsLockedOutAsync(u), u.CreatedAt));
        }
        return rows;
    }

    public async Task<IReadOnlyList<PanelRole>> AssignableRolesAsync(string actorId) =>
        PanelRoles.DelegableBy(await permissions.GetPermissionsAsync(actorId));

    public async Task<UserChangeResult> CreateAsync(string actorId, string email, string displayName, string roleName, string password)
    {
        var role = PanelRoles.Find(roleName);
        if (role is null)
        {
            return new(UserChangeError.Invalid, "Choose a role.", "Role");
        }
        if (!PanelRoles.CanDelegate(await permissions.GetPermissionsAsync(actorId), role))
        {
            return new(UserChangeError.RoleNotDelegable, $"You cannot give the role {role.Name}: it has permissions you do not hold.", "Role");
        }
        email = email.Trim();
        var user = new PanelUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var transaction = await db.Database.BeginTransactionAsync();
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return FromIdentity(created);
        }
        audit.Record(actorId, AuditActions.UserCreated, "user", user.Id, $"Created {email} with role {role.Name}.");
        var added = await users.AddToRoleAsync(user, role.Name);
        if (!added.Succeeded)
        {
            return FromIdentity(added);
        }
        await transaction.CommitAsync();
        return UserChangeResult.Ok;
    }

    public Task<UserChangeResult> DisableAsync(string actorId, string userId) =>
        ChangeAsync(actorId, userId, allowSelf: false, async user =>
        {
            user.IsDisabled = true;
            audit.Record(actorId, AuditActions.UserDisabled, "user", user.Id, $"Disabled {user.Email}.");
            // A new stamp ends the user's sessions on their next request; their tokens are refused
            // by the validator while the owner is disabled (nothing is revoked, so enabling restores them).
            return await users.UpdateSecurityStampAsync(user);
        });

    public Task<UserChangeResult> EnableAsync(string actorId, string userId) =>
        ChangeAsync(actorId, userId, allowSelf: false, async user =>
        {
            user.IsDisabled = false;
            audit.Record(actorId, AuditActions.UserEnabled, "user", user.Id, $"Enabled {user.Email}.");
            return await users.UpdateAsync(user);
        });

    /// <summary>Removes the user's authenticator and recovery codes and unlocks them; they enroll again at next sign-in.</summary>
    public Task<UserChangeResult> ResetSecondFactorAsync(string actorId, string userId) =>
        ChangeAsync(actorId, userId, allowSelf: true, async user =>
        {
            audit.Record(actorId, AuditActions.UserTwoFactorReset, "user", user.Id, $"Reset the second factor of {user.Email}.");
            var steps = new Func<Task<IdentityResult>>[]
            {
                () => users.SetTwoFactorEnabledAsync(user, false),
                // A new key also makes a new security stamp, which ends the user's sessions.
                () => users.ResetAuthenticatorKeyAsync(user),
                async () =>
                {
                    await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
                    return IdentityResult.Success;
                },
                () => users.SetLockoutEndDateAsync(user, null),
                () => users.ResetAccessFailedCountAsync(user),
            };
            foreach (var step in steps)
            {
                var result = await step();
                if (!result.Succeeded)
                {
                    return result;
                }
            }
            return IdentityResult.Success;
        });

    private async Task<UserChangeResult> ChangeAsync(string actorId, string userId, bool allowSelf, Func<PanelUser, Task<IdentityResult>> change)
    {
        if (!allowSelf && actorId == userId)
        {
            return new(UserChangeError.Self, "You cannot do this to your own account.");
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return new(UserChangeError.NotFound, "That user no longer exists.");
        }
        var targetPermissions = PanelRoles.PermissionsOf(await users.GetRolesAsync(user));
        if (!targetPermissions.IsSubsetOf(await permissions.GetPermissionsAsync(actorId)))
        {
            return new(UserChangeError.OutrankedTarget, $"{user.Email} holds permissions you do not, so you cannot change this account.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await change(user);
        if (!result.Succeeded)
        {
            return FromIdentity(result);
        }
        await transaction.CommitAsync();
        return UserChangeResult.Ok;
    }

    private static UserChangeResult FromIdentity(IdentityResult result)
    {
        var first = result.Errors.FirstOrDefault();
        var field = first?.Code switch
        {
            { } code when code.StartsWith("Password", StringComparison.Ordinal) => "Password",
            "DuplicateUserName" or "DuplicateEmail" or "InvalidEmail" or "InvalidUserName" => "Email",
            _ => null,
        };
        return new(UserChangeError.Invalid, string.Join(" ", result.Errors.Select(e => e.Description)), field);
    }
}

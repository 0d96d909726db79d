using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Api.Users;

public sealed record NewUser(string Email, string? DisplayName, string? ExternalId, string? Password, IReadOnlyList<string> Roles, bool Active = true);

/// <summary>Creates, enables and disables panel users for the Configuration and SCIM APIs, through Identity, with audit.</summary>
internal sealed class UserAccounts(UserManager<PanelUser> users, PanelDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<(PanelUser? User, IdentityResult Result)> CreateAsync(NewUser request, string actorId, string via)
    {
        var email = request.Email.Trim();
        var user = new PanelUser
        {
            UserName = email,
            Email = email,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim(),
            ExternalId = string.IsNullOrWhiteSpace(request.ExternalId) ? null : request.ExternalId.Trim(),
            IsDisabled = !request.Active,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var entry = audit.Record(actorId, AuditActions.UserCreated, "user", user.Id,
            $"{email}" + (request.Roles.Count > 0 ? $" with roles {string.Join(", ", request.Roles)}" : "") + $", {via}");
        var result = string.IsNullOrEmpty(request.Password)
            ? await users.CreateAsync(user)
            : await users.CreateAsync(user, request.Password);
        if (!result.Succeeded)
        {
            // Nothing was created, so nothing is audited.
            db.Entry(entry).State = EntityState.Detached;
            return (null, result);
        }
        if (request.Roles.Count > 0)
        {
            result = await users.AddToRolesAsync(user, request.Roles);
            if (!result.Succeeded)
            {
                return (user, result);
            }
        }
        return (user, IdentityResult.Success);
    }

    /// <summary>Disables or re-enables; a disabled user's sign-in sessions and tokens stop working.</summary>
    public async Task<IdentityResult> SetDisabledAsync(PanelUser user, bool disabled, string actorId, string via)
    {
        if (user.IsDisabled == disabled)
        {
            return IdentityResult.Success;
        }
        user.IsDisabled = disabled;
        audit.Record(actorId, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, "user", user.Id, $"{user.Email}, {via}");
        // A new security stamp ends the user's cookie sessions at their next validation.
        return await users.UpdateSecurityStampAsync(user);
    }

    /// <summary>Saves changed profile fields with an audit entry.</summary>
    public async Task<IdentityResult> UpdateAsync(PanelUser user, string actorId, string via, string what)
    {
        audit.Record(actorId, AuditActions.UserUpdated, "user", user.Id, $"{user.Email}: {what}, {via}");
        return await users.UpdateAsync(user);
    }
}

using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Api.Users;

/// <summary>Changes to a user; null leaves a field as it is (<see cref="ExternalIdSet"/> says whether ExternalId is given).</summary>
public sealed record UserChange
{
    public string? UserName { get; init; }
    public string? Email { get; init; }
    public string? DisplayName { get; init; }
    public bool ExternalIdSet { get; init; }
    public string? ExternalId { get; init; }
    public bool? Active { get; init; }
    public string? Password { get; init; }
}

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
    public Task<IdentityResult> SetDisabledAsync(PanelUser user, bool disabled, string actorId, string via) =>
        ChangeAsync(user, new UserChange { Active = !disabled }, actorId, via);

    /// <summary>Applies a change in one save, with audit entries; Identity validates names and the password.</summary>
    public async Task<IdentityResult> ChangeAsync(PanelUser user, UserChange change, string actorId, string via)
    {
        var changes = new List<string>();
        if (change.UserName is { } userName && userName.Trim() != user.UserName)
        {
            changes.Add($"userName {user.UserName} -> {userName.Trim()}");
            user.UserName = userName.Trim();
        }
        if (change.Email is { } email && email.Trim() != user.Email)
        {
            changes.Add($"email {user.Email} -> {email.Trim()}");
            user.Email = email.Trim();
        }
        if (change.DisplayName is { } displayName && displayName.Trim() != user.DisplayName)
        {
            changes.Add($"displayName -> {displayName.Trim()}");
            user.DisplayName = displayName.Trim();
        }
        if (change.ExternalIdSet)
        {
            var externalId = string.IsNullOrWhiteSpace(change.ExternalId) ? null : change.ExternalId.Trim();
            if (externalId != user.ExternalId)
            {
                changes.Add($"externalId -> {externalId ?? "(none)"}");
                user.ExternalId = externalId;
            }
        }
        var securityChange = false;
        if (change.Password is { Length: > 0 } password)
        {
            foreach (var validator in users.PasswordValidators)
            {
                var valid = await validator.ValidateAsync(users, user, password);
                if (!valid.Succeeded)
                {
                    return valid;
                }
            }
            user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
            changes.Add("password set");
            securityChange = true;
        }

        var entries = new List<AuditEntry>();
        if (changes.Count > 0)
        {
            entries.Add(audit.Record(actorId, AuditActions.UserUpdated, "user", user.Id, $"{user.Email}: {string.Join(", ", changes)}, {via}"));
        }
        if (change.Active is { } active && active == user.IsDisabled)
        {
            user.IsDisabled = !active;
            entries.Add(audit.Record(actorId, active ? AuditActions.UserEnabled : AuditActions.UserDisabled, "user", user.Id, $"{user.Email}, {via}"));
            // A new security stamp ends the user's cookie sessions at their next validation.
            securityChange = true;
        }
        if (entries.Count == 0)
        {
            return IdentityResult.Success;
        }
        var result = securityChange ? await users.UpdateSecurityStampAsync(user) : await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            foreach (var entry in entries)
            {
                db.Entry(entry).State = EntityState.Detached;
            }
        }
        return result;
    }

    /// <summary>Adds or removes a panel role, with an audit entry.</summary>
    public async Task<IdentityResult> SetRoleAsync(PanelUser user, string role, bool member, string actorId, string via)
    {
        if (await users.IsInRoleAsync(user, role) == member)
        {
            return IdentityResult.Success;
        }
        var entry = audit.Record(actorId, AuditActions.UserUpdated, "user", user.Id,
            $"{user.Email}: {(member ? "added to" : "removed from")} role {role}, {via}");
        var result = member ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role);
        if (!result.Succeeded)
        {
            db.Entry(entry).State = EntityState.Detached;
        }
        return result;
    }
}

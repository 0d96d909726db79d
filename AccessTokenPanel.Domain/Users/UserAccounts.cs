using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Passkeys;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.TwoFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Users;

/// <summary>
/// Every change to a panel user, for the Users page, the Configuration API and SCIM alike: create,
/// update (names, email, password, active), roles, reset of the second factor, delete. Each checks
/// the same rules: the actor may manage users; nobody changes a user who holds permissions the actor
/// lacks, or gives a role whose permissions they lack; nobody disables or deletes themselves. Each
/// change and its audit entries commit in one transaction, or nothing does.
/// </summary>
public sealed class UserAccounts(
    PanelDbContext db, UserManager<PanelUser> users, AuditLog audit, TokenRevoker revoker, TotpAttemptGate attempts, TimeProvider time,
    SessionRegistry sessions, OperationGuard guard, PasskeyAccounts passkeys)
{
    /// <summary>What SQL Server enforces (Identity's 256 for names and email; ours for display name and externalId).</summary>
    public const int MaxUserNameLength = 256;
    public const int MaxDisplayNameLength = 200;
    public const int MaxExternalIdLength = 200;

    /// <summary>A user as the APIs see it: deleted users are gone, and service accounts are no users (see <c>ServiceAccounts</c>).</summary>
    public Task<PanelUser?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        db.Users.SingleOrDefaultAsync(u => u.Id == id && u.DeletedAt == null && !u.IsServiceAccount, cancellationToken);

    /// <summary><see cref="Operations.ReadUsers"/>: every user, deleted ones too (the audit log names them), by email.</summary>
    public async Task<Result<List<PanelUser>>> ListAsync(Actor actor, CancellationToken cancellationToken = default) =>
        await guard.AuthorizeAsync(actor, Operations.ReadUsers, cancellationToken: cancellationToken) is { } refused
            ? refused
            : Result<List<PanelUser>>.Ok(await db.Users.AsNoTracking().Where(u => !u.IsServiceAccount).OrderBy(u => u.Email).ToListAsync(cancellationToken));

    /// <summary><see cref="Operations.ReadUsers"/>: one user.</summary>
    public async Task<Result<PanelUser>> ReadAsync(Actor actor, string userId, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.ReadUsers, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId && !u.IsServiceAccount, cancellationToken) is { } user
            ? Result<PanelUser>.Ok(user)
            : new DomainError(AuthorizationErrors.NotFoundCode, "", "There is no user with this id.", ErrorKind.NotFound);
    }

    public async Task<UserAccountResult> CreateAsync(Actor actor, NewUserRequest request, CancellationToken cancellationToken = default)
    {
        if (await RefuseAsync(actor, Operations.CreateUser, null, cancellationToken) is { } refused)
        {
            return refused;
        }
        var email = request.Email.Trim();
        var userName = string.IsNullOrWhiteSpace(request.UserName) ? email : request.UserName.Trim();
        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim();
        var externalId = string.IsNullOrWhiteSpace(request.ExternalId) ? null : request.ExternalId.Trim();
        if ((CheckEmail(email) ?? CheckLengths(userName, displayName, externalId)
            ?? CheckNameLengths(request.GivenName, request.FamilyName, request.FormattedName)) is { } invalid)
        {
            return invalid;
        }
        var roles = new List<PanelRole>();
        foreach (var name in request.Roles.Distinct(StringComparer.Ordinal))
        {
            if (PanelRoles.Find(name) is not { } role)
            {
                return new(UserAccountError.RoleUnknown,
                    $"There is no role named '{name}'. Roles: {string.Join(", ", PanelRoles.All.Select(r => r.Name))}.", "roles");
            }
            if (!PanelRoles.CanDelegate(actor.Permissions, role))
            {
                return new(UserAccountError.RoleNotDelegable, $"You cannot give the role {role.Name}: it has permissions you do not hold.", "roles");
            }
            roles.Add(role);
        }
        if (externalId is not null && await ExternalIdTakenAsync(externalId, null, cancellationToken) is { } taken)
        {
            return taken;
        }

        var user = new PanelUser
        {
            UserName = userName,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            ExternalId = externalId,
            GivenName = NamePart(request.GivenName),
            FamilyName = NamePart(request.FamilyName),
            FormattedName = NamePart(request.FormattedName),
            IsDisabled = !request.Active,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        return await ClaimingExternalIdAsync(externalId, user.Id, () => InTransactionAsync(async () =>
        {
            var created = string.IsNullOrEmpty(request.Password)
                ? await users.CreateAsync(user)
                : await users.CreateAsync(user, request.Password);
            if (!created.Succeeded)
            {
                return FromIdentity(created);
            }
            if (roles.Count > 0)
            {
                var added = await users.AddToRolesAsync(user, roles.Select(r => r.Name));
                if (!added.Succeeded)
                {
                    return FromIdentity(added);
                }
            }
            audit.Record(actor.UserId, AuditActions.UserCreated, "user", user.Id,
                $"{email}" + (roles.Count > 0 ? $" with roles {string.Join(", ", roles.Select(r => r.Name))}" : "")
                + (request.Active ? "" : ", disabled") + $", {actor.Via}");
            await db.SaveChangesAsync(cancellationToken);
            return UserAccountResult.Ok(user);
        }, cancellationToken), cancellationToken);
    }

    /// <summary>Applies a change in one transaction, with audit entries; Identity validates names and the password.</summary>
    public async Task<UserAccountResult> UpdateAsync(Actor actor, string userId, UserChange change, CancellationToken cancellationToken = default)
    {
        var (user, refused) = await TargetAsync(actor, Operations.UpdateUser, userId, cancellationToken);
        if (user is null)
        {
            return refused!;
        }
        if (change.Active == false && userId == actor.UserId)
        {
            return new(UserAccountError.Self, "You cannot disable your own account.", "active");
        }
        var userName = change.UserName?.Trim();
        var email = change.Email?.Trim();
        var displayName = change.DisplayName?.Trim();
        var externalId = change.ExternalIdSet && !string.IsNullOrWhiteSpace(change.ExternalId) ? change.ExternalId.Trim() : null;
        if (((email is null ? null : CheckEmail(email)) ?? CheckLengths(userName, displayName, externalId)
            ?? CheckNameLengths(change.GivenName, change.FamilyName, change.FormattedName)) is { } invalid)
        {
            return invalid;
        }
        if (userName is "")
        {
            return new(UserAccountError.Invalid, "The user name cannot be empty.", "userName");
        }
        if (externalId is not null && externalId != user.ExternalId && await ExternalIdTakenAsync(externalId, user.Id, cancellationToken) is { } taken)
        {
            return taken;
        }

        if (!string.IsNullOrEmpty(change.Password))
        {
            foreach (var validator in users.PasswordValidators)
            {
                var valid = await validator.ValidateAsync(users, user, change.Password);
                if (!valid.Succeeded)
                {
                    return FromIdentity(valid);
                }
            }
        }

        var changes = new List<string>();
        if (userName is not null && userName != user.UserName)
        {
            changes.Add($"userName {user.UserName} -> {userName}");
            user.UserName = userName;
        }
        if (email is not null && email != user.Email)
        {
            changes.Add($"email {user.Email} -> {email}");
            user.Email = email;
        }
        if (!string.IsNullOrEmpty(displayName) && displayName != user.DisplayName)
        {
            changes.Add($"displayName -> {displayName}");
            user.DisplayName = displayName;
        }
        if (change.ExternalIdSet && externalId != user.ExternalId)
        {
            changes.Add($"externalId -> {externalId ?? "(none)"}");
            user.ExternalId = externalId;
        }
        foreach (var (label, given, current, set) in new (string, string?, string?, Action<string?>)[]
        {
            ("name.givenName", change.GivenName, user.GivenName, v => user.GivenName = v),
            ("name.familyName", change.FamilyName, user.FamilyName, v => user.FamilyName = v),
            ("name.formatted", change.FormattedName, user.FormattedName, v => user.FormattedName = v),
        })
        {
            if (given is not null && NamePart(given) != current)
            {
                changes.Add($"{label} -> {NamePart(given) ?? "(none)"}");
                set(NamePart(given));
            }
        }
        var endSessions = false;
        if (!string.IsNullOrEmpty(change.Password))
        {
            // Only the password changes: the second factor stays enrolled, so a new password alone
            // never signs anyone in; the user's open sessions end.
            user.PasswordHash = users.PasswordHasher.HashPassword(user, change.Password);
            changes.Add("password set");
            endSessions = true;
        }
        string? activeAction = null;
        if (change.Active is { } active && active == user.IsDisabled)
        {
            user.IsDisabled = !active;
            activeAction = active ? AuditActions.UserEnabled : AuditActions.UserDisabled;
            endSessions |= !active;
        }
        if (changes.Count == 0 && activeAction is null)
        {
            return UserAccountResult.Ok(user);
        }

        return await ClaimingExternalIdAsync(externalId, user.Id, () => InTransactionAsync(async () =>
        {
            var saved = endSessions ? await users.UpdateSecurityStampAsync(user) : await users.UpdateAsync(user);
            if (!saved.Succeeded)
            {
                return FromIdentity(saved);
            }
            if (changes.Count > 0)
            {
                audit.Record(actor.UserId, AuditActions.UserUpdated, "user", user.Id, $"{user.Email}: {string.Join(", ", changes)}, {actor.Via}");
            }
            if (activeAction is not null)
            {
                audit.Record(actor.UserId, activeAction, "user", user.Id, $"{user.Email}, {actor.Via}");
            }
            await db.SaveChangesAsync(cancellationToken);
            return UserAccountResult.Ok(user);
        }, cancellationToken), cancellationToken);
    }

    /// <summary>"Sign out everywhere" for another user: every session of theirs ends at once, on every instance.</summary>
    public async Task<UserAccountResult> EndSessionsAsync(Actor actor, string userId, CancellationToken cancellationToken = default)
    {
        var (user, refused) = await TargetAsync(actor, Operations.EndSessions, userId, cancellationToken);
        if (user is null)
        {
            return refused!;
        }
        var ended = await sessions.EndAllAsync(user.Id, cancellationToken);
        // A new stamp also ends what checks only the stamp (live interactive circuits).
        var stamped = await users.UpdateSecurityStampAsync(user);
        if (!stamped.Succeeded)
        {
            return FromIdentity(stamped);
        }
        audit.Record(actor.UserId, AuditActions.SessionsEnded, "user", user.Id, $"Ended {ended} session(s) of {user.Email}, {actor.Via}");
        await db.SaveChangesAsync(cancellationToken);
        return UserAccountResult.Ok(user);
    }

    /// <summary>Disables or re-enables; a disabled user's sessions end and their tokens are refused (not revoked).</summary>
    public Task<UserAccountResult> SetActiveAsync(Actor actor, string userId, bool active, CancellationToken cancellationToken = default) =>
        UpdateAsync(actor, userId, new UserChange { Active = active }, cancellationToken);

    /// <summary>Adds or removes a panel role; losing one ends the user's sessions.</summary>
    public async Task<UserAccountResult> SetRoleAsync(Actor actor, string userId, string roleName, bool member, CancellationToken cancellationToken = default)
    {
        if (PanelRoles.Find(roleName) is not { } role)
        {
            return new(UserAccountError.RoleUnknown, $"There is no role named '{roleName}'.", "roles");
        }
        if (!PanelRoles.CanDelegate(actor.Permissions, role))
        {
            return new(UserAccountError.RoleNotDelegable, $"You cannot change who holds {role.Name}: it has permissions you do not hold.", "roles");
        }
        var (user, refused) = await TargetAsync(actor, Operations.SetUserRole, userId, cancellationToken);
        if (user is null)
        {
            return refused!;
        }
        if (await users.IsInRoleAsync(user, role.Name) == member)
        {
            return UserAccountResult.Ok(user);
        }
        return await InTransactionAsync(async () =>
        {
            var result = member ? await users.AddToRoleAsync(user, role.Name) : await users.RemoveFromRoleAsync(user, role.Name);
            if (result.Succeeded && !member)
            {
                result = await users.UpdateSecurityStampAsync(user);
            }
            if (!result.Succeeded)
            {
                return FromIdentity(result);
            }
            audit.Record(actor.UserId, AuditActions.UserUpdated, "user", user.Id,
                $"{user.Email}: {(member ? "added to" : "removed from")} role {role.Name}, {actor.Via}");
            await db.SaveChangesAsync(cancellationToken);
            return UserAccountResult.Ok(user);
        }, cancellationToken);
    }

    /// <summary>
    /// Removes the authenticator, the recovery codes and every passkey, ends the user's sessions and
    /// unlocks them; they enroll again at next sign-in.
    /// </summary>
    public async Task<UserAccountResult> ResetSecondFactorAsync(Actor actor, string userId, CancellationToken cancellationToken = default)
    {
        var (user, refused) = await TargetAsync(actor, Operations.ResetSecondFactor, userId, cancellationToken);
        if (user is null)
        {
            return refused!;
        }
        return await InTransactionAsync(async () =>
        {
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
                    return FromIdentity(result);
                }
            }
            await attempts.ResetAsync(user.Id, cancellationToken);
            // A passkey is both factors at once: left in place it would sign in without the new enrollment.
            var removedPasskeys = await passkeys.RemoveAllAsync(user, cancellationToken);
            var endedSessions = await sessions.EndAllAsync(user.Id, cancellationToken);
            audit.Record(actor.UserId, AuditActions.UserTwoFactorReset, "user", user.Id,
                $"{user.Email}: authenticator, recovery codes and {removedPasskeys} passkey(s) removed, {endedSessions} session(s) ended, {actor.Via}");
            await db.SaveChangesAsync(cancellationToken);
            return UserAccountResult.Ok(user);
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes a user as an identity provider means it (SCIM DELETE): gone for the APIs, tokens revoked,
    /// sessions ended, name and email freed for a new account; the disabled account stays for the
    /// audit log and the token history.
    /// </summary>
    public async Task<UserAccountResult> DeleteAsync(Actor actor, string userId, CancellationToken cancellationToken = default)
    {
        var (user, refused) = await TargetAsync(actor, Operations.DeleteUser, userId, cancellationToken);
        if (user is null)
        {
            return refused!;
        }
        if (userId == actor.UserId)
        {
            return new(UserAccountError.Self, "You cannot delete your own account.");
        }
        return await InTransactionAsync(async () =>
        {
            var formerEmail = user.Email;
            var now = time.GetUtcNow().UtcDateTime;
            user.DeletedAt = now;
            user.IsDisabled = true;
            // The old name may be provisioned again; the tombstone keeps the account unique and recognisable.
            var tombstone = $"deleted-{user.Id}@deleted.invalid";
            user.UserName = tombstone;
            user.Email = tombstone;
            user.DisplayName = Truncate($"{user.DisplayName} (deleted: {formerEmail})", MaxDisplayNameLength);
            user.ExternalId = null;
            var saved = await users.UpdateSecurityStampAsync(user);
            if (saved.Succeeded)
            {
                // Group memberships go too: SCIM lists no deleted member.
                saved = await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
            }
            if (!saved.Succeeded)
            {
                return FromIdentity(saved);
            }
            await revoker.RevokeAllAsync(user.Id, actor.UserId, cancellationToken);
            audit.Record(actor.UserId, AuditActions.UserDeleted, "user", user.Id, $"{formerEmail}, {actor.Via}");
            await db.SaveChangesAsync(cancellationToken);
            return UserAccountResult.Ok(user);
        }, cancellationToken);
    }

    /// <summary>The permission table's verdict (<see cref="OperationGuard"/>) in this service's vocabulary.</summary>
    private async Task<UserAccountResult?> RefuseAsync(Actor actor, Operation operation, string? targetUserId, CancellationToken cancellationToken) =>
        await guard.AuthorizeAsync(actor, operation, targetUserId, cancellationToken: cancellationToken) switch
        {
            null => null,
            { Code: AuthorizationErrors.OutrankedCode } error => new(UserAccountError.OutrankedTarget, error.Message),
            { Code: AuthorizationErrors.PermissionMissingCode } => new(UserAccountError.Forbidden, "You do not have the permission to manage users."),
            var error => new(UserAccountError.Forbidden, error.Message),
        };

    /// <summary>The user to change, if the actor may perform <paramref name="operation"/> on them (permission, rank rule).</summary>
    private async Task<(PanelUser? User, UserAccountResult? Refused)> TargetAsync(Actor actor, Operation operation, string userId, CancellationToken cancellationToken)
    {
        if (await RefuseAsync(actor, operation, null, cancellationToken) is { } refused)
        {
            return (null, refused);
        }
        var user = await FindAsync(userId, cancellationToken);
        if (user is null)
        {
            return (null, new(UserAccountError.NotFound, "There is no user with this id."));
        }
        if (await RefuseAsync(actor, operation, user.Id, cancellationToken) is { } outranked)
        {
            return (null, outranked with { Message = outranked.Error == UserAccountError.OutrankedTarget
                ? $"{user.Email} holds permissions you do not, so you cannot change this account." : outranked.Message });
        }
        return (user, null);
    }

    /// <summary>Runs a change in a transaction; on any failure nothing is saved and nothing stays tracked.</summary>
    private async Task<UserAccountResult> InTransactionAsync(Func<Task<UserAccountResult>> change, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            // Part of a larger change that must stand or fall as one (a SCIM group's members): its
            // owner commits, or rolls back everything on the first failure.
            return await change();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await change();
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        return result;
    }

    /// <summary>External JWTs are mapped to users by externalId, so one value names at most one user.</summary>
    private async Task<UserAccountResult?> ExternalIdTakenAsync(string externalId, string? exceptUserId, CancellationToken cancellationToken) =>
        await db.Users.AnyAsync(u => u.ExternalId == externalId && u.Id != exceptUserId, cancellationToken)
            ? new(UserAccountError.Duplicate, $"Another user already has the externalId '{externalId}'.", "externalId")
            : null;

    /// <summary>
    /// ExternalIdTakenAsync and the save are not one step: a concurrent request may take the externalId in
    /// between. The unique index then refuses the save, and the answer is the one the check gives.
    /// </summary>
    private async Task<UserAccountResult> ClaimingExternalIdAsync(
        string? externalId, string userId, Func<Task<UserAccountResult>> save, CancellationToken cancellationToken)
    {
        try
        {
            return await save();
        }
        catch (DbUpdateException) when (externalId is not null && db.Database.CurrentTransaction is null)
        {
            db.ChangeTracker.Clear();
            if (await ExternalIdTakenAsync(externalId, userId, cancellationToken) is { } taken)
            {
                return taken;
            }
            throw;
        }
    }

    private static UserAccountResult? CheckEmail(string email) =>
        email.Length == 0 || !email.Contains('@')
            ? new(UserAccountError.Invalid, "Enter the user's email address.", "email")
            : email.Length > MaxUserNameLength
                ? new(UserAccountError.Invalid, $"The email address is longer than {MaxUserNameLength} characters.", "email")
                : null;

    private static UserAccountResult? CheckLengths(string? userName, string? displayName, string? externalId) =>
        userName?.Length > MaxUserNameLength
            ? new(UserAccountError.Invalid, $"The user name is longer than {MaxUserNameLength} characters.", "userName")
            : displayName?.Length > MaxDisplayNameLength
                ? new(UserAccountError.Invalid, $"The display name is longer than {MaxDisplayNameLength} characters.", "displayName")
                : externalId?.Length > MaxExternalIdLength
                    ? new(UserAccountError.Invalid, $"The externalId is longer than {MaxExternalIdLength} characters.", "externalId")
                    : null;

    private static string? NamePart(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static UserAccountResult? CheckNameLengths(params string?[] parts) =>
        parts.Any(p => p?.Trim().Length > MaxDisplayNameLength)
            ? new(UserAccountError.Invalid, $"A name part (givenName, familyName, formatted) is longer than {MaxDisplayNameLength} characters.", "name")
            : null;

    private static UserAccountResult FromIdentity(IdentityResult result)
    {
        var errors = result.Errors.ToList();
        var message = string.Join(" ", errors.Select(e => e.Description));
        if (errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail)))
        {
            return new(UserAccountError.Duplicate, message, "email");
        }
        var field = errors.FirstOrDefault()?.Code switch
        {
            { } code when code.StartsWith("Password", StringComparison.Ordinal) => "password",
            "InvalidUserName" => "userName",
            "InvalidEmail" => "email",
            _ => null,
        };
        return new(UserAccountError.Invalid, message, field);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

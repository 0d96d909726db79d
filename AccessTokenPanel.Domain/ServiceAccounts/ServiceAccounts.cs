using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.ServiceAccounts;

/// <summary>A service account as a list shows it.</summary>
public sealed record ServiceAccountSummary(string Id, string Name, string? Description, string? Role, bool Disabled, DateTime CreatedAt,
    int ActiveOwners, int LiveTokens)
{
    /// <summary>No active owner is left: marked on its page and in the inventory; its tokens keep working until an administrator decides.</summary>
    public bool Ownerless => ActiveOwners == 0;
}

public sealed record ServiceAccountOwnerView(string UserId, string Email, bool Active, DateTime AddedAt);

/// <summary>A service account's page: its owners and its tokens.</summary>
public sealed record ServiceAccountDetails(ServiceAccountSummary Account, IReadOnlyList<ServiceAccountOwnerView> Owners, IReadOnlyList<AccessToken> Tokens);

public sealed record NewServiceAccount(string? Name, string? Description, string? Role);

/// <summary>
/// Service accounts: principals that are not people (no password, no second factor, no sign-in, not
/// SCIM users), with one or more people as owners and a role that bounds what their tokens carry.
/// Owners issue the tokens (<see cref="TokenIssuer"/>, with their own code) and act on them as on
/// their own (<see cref="OperationGuard"/>); the tokens keep working while owners come and go.
/// </summary>
public sealed class ServiceAccounts(
    PanelDbContext db, OperationGuard guard, PermissionResolver permissions, TokenRevoker revoker, NoticeBoard notices, AuditLog audit, TimeProvider time)
{
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 500;
    public const string NameField = "Name";
    public const string RoleField = "Role";
    public const string OwnerField = "Owner";
    public const string DescriptionField = nameof(NewServiceAccount.Description);

    public static readonly DomainError NotFound = new(AuthorizationErrors.NotFoundCode, "", "There is no such service account, or it is not one you may see.",
        ErrorKind.NotFound);

    private static readonly Regex NamePattern = new(@"^[A-Za-z0-9][A-Za-z0-9 ._-]*$", RegexOptions.CultureInvariant);

    /// <summary><see cref="Operations.ListServiceAccounts"/>: those the actor owns; every one with the permission to read users.</summary>
    public async Task<Result<IReadOnlyList<ServiceAccountSummary>>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.ListServiceAccounts, actor.UserId, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        var all = actor.Holds(Permission.UsersRead);
        var accounts = db.Users.Where(u => u.IsServiceAccount && u.DeletedAt == null
            && (all || db.ServiceAccountOwners.Any(o => o.ServiceAccountId == u.Id && o.UserId == actor.UserId)));
        return Result<IReadOnlyList<ServiceAccountSummary>>.Ok(await SummariesAsync(accounts, cancellationToken));
    }

    /// <summary><see cref="Operations.ReadServiceAccount"/>: one service account with its owners and tokens.</summary>
    public async Task<Result<ServiceAccountDetails>> ReadAsync(Actor actor, string id, CancellationToken cancellationToken = default)
    {
        var summary = (await SummariesAsync(db.Users.Where(u => u.Id == id && u.IsServiceAccount && u.DeletedAt == null), cancellationToken)).SingleOrDefault();
        if (summary is null)
        {
            return NotFound;
        }
        if (await guard.AuthorizeAsync(actor, Operations.ReadServiceAccount, id, NotFound, cancellationToken) is { } refused)
        {
            return refused.Kind == ErrorKind.Forbidden ? NotFound : refused;
        }
        var owners = await (from o in db.ServiceAccountOwners.AsNoTracking()
                            join u in db.Users on o.UserId equals u.Id
                            where o.ServiceAccountId == id
                            orderby u.Email
                            select new ServiceAccountOwnerView(o.UserId, u.Email ?? u.DisplayName, !u.IsDisabled && u.DeletedAt == null, o.AddedAt))
            .ToListAsync(cancellationToken);
        var tokens = await db.AccessTokens.AsNoTracking().Where(t => t.OwnerId == id && t.Kind == TokenKind.Standard)
            .OrderByDescending(t => t.CreatedAt).Take(200).ToListAsync(cancellationToken);
        return Result<ServiceAccountDetails>.Ok(new(summary, owners, tokens));
    }

    /// <summary>
    /// <see cref="Operations.CreateServiceAccount"/>: a service account with a role whose permissions
    /// the actor holds; the actor, a person, is its first owner.
    /// </summary>
    public async Task<Result<ServiceAccountSummary>> CreateAsync(Actor actor, NewServiceAccount request, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.CreateServiceAccount, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        var errors = new List<DomainError>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > NameMaxLength || !NamePattern.IsMatch(name))
        {
            errors.Add(new(ServiceAccountErrorCodes.NameInvalid, NameField,
                $"Name the service account with 1 to {NameMaxLength} letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit."));
        }
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (description is { Length: > DescriptionMaxLength })
        {
            errors.Add(new(ServiceAccountErrorCodes.DescriptionTooLong, DescriptionField, $"The description must be at most {DescriptionMaxLength} characters."));
        }
        var role = PanelRoles.Find(request.Role?.Trim());
        if (role is null)
        {
            errors.Add(new(TokenErrorCodes.RoleUnknown, RoleField, $"Choose a role: {string.Join(", ", PanelRoles.All.Select(r => r.Name))}."));
        }
        else if (!PanelRoles.CanDelegate(actor.Permissions, role))
        {
            errors.Add(new(TokenErrorCodes.RoleNotDelegable, RoleField, $"You can only give a role whose permissions you hold; you do not hold all of {role.Name}.",
                ErrorKind.Forbidden));
        }
        if (errors.Count > 0)
        {
            return Result<ServiceAccountSummary>.Fail(errors);
        }
        if (await db.Users.AnyAsync(u => u.Id == actor.UserId && u.IsServiceAccount, cancellationToken))
        {
            return new DomainError(ServiceAccountErrorCodes.OwnerNotPerson, OwnerField, "A service account is owned by people: create it on the panel or with a person's token.",
                ErrorKind.Forbidden);
        }
        var roleId = await db.Roles.Where(r => r.Name == role!.Name).Select(r => r.Id).SingleOrDefaultAsync(cancellationToken);
        if (roleId is null)
        {
            return new DomainError(TokenErrorCodes.RoleUnknown, RoleField, $"The role {role!.Name} is not set up in this database yet.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        // The user name is derived from the name, so Identity's unique index decides a race between two of the same name.
        var userName = "service-account." + Regex.Replace(name.ToLowerInvariant(), "[ ]+", "-");
        var account = new PanelUser
        {
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            DisplayName = name,
            Description = description,
            IsServiceAccount = true,
            CreatedAt = now,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            LockoutEnabled = true,
        };
        db.Users.Add(account);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = account.Id, RoleId = roleId });
        db.ServiceAccountOwners.Add(new ServiceAccountOwner { ServiceAccountId = account.Id, UserId = actor.UserId!, AddedAt = now });
        audit.Record(actor.UserId, AuditActions.ServiceAccountCreated, "service-account", account.Id,
            $"service account '{name}' with role {role!.Name}, owned by user {actor.UserId}, {actor.Via}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Users.AnyAsync(u => u.NormalizedUserName == account.NormalizedUserName, cancellationToken))
            {
                return new DomainError(ServiceAccountErrorCodes.NameTaken, NameField, "There is already a service account with this name.", ErrorKind.Conflict);
            }
            throw;
        }
        return Result<ServiceAccountSummary>.Ok((await SummariesAsync(db.Users.Where(u => u.Id == account.Id), cancellationToken)).Single());
    }

    /// <summary><see cref="Operations.ManageServiceAccount"/>: adds an active person as an owner (by email or user id).</summary>
    public async Task<Result<ServiceAccountDetails>> AddOwnerAsync(Actor actor, string id, string? who, CancellationToken cancellationToken = default)
    {
        if (await ManageableAsync(actor, id, cancellationToken) is { } refused)
        {
            return refused;
        }
        var key = who?.Trim() ?? "";
        var normalized = key.ToUpperInvariant();
        var person = await db.Users.AsNoTracking()
            .Where(u => (u.Id == key || u.NormalizedEmail == normalized) && !u.IsServiceAccount && u.DeletedAt == null)
            .Select(u => new { u.Id, u.Email, u.IsDisabled }).FirstOrDefaultAsync(cancellationToken);
        if (person is null || person.IsDisabled)
        {
            return new DomainError(ServiceAccountErrorCodes.OwnerUnknown, OwnerField, "Name an active person of the panel (their email) as the owner.");
        }
        // An owner issues the account's tokens: nobody becomes owner of an account more powerful than they are.
        var accountPermissions = await permissions.GetPermissionsAsync(id, cancellationToken);
        if (!accountPermissions.IsSubsetOf(await permissions.GetPermissionsAsync(person.Id, cancellationToken)))
        {
            return new DomainError(ServiceAccountErrorCodes.OwnerOutranked, OwnerField,
                "That person does not hold every permission of the service account's role, so they cannot own it.", ErrorKind.Forbidden);
        }
        if (await db.ServiceAccountOwners.AnyAsync(o => o.ServiceAccountId == id && o.UserId == person.Id, cancellationToken))
        {
            return await ReadAsync(actor, id, cancellationToken);
        }
        db.ServiceAccountOwners.Add(new ServiceAccountOwner { ServiceAccountId = id, UserId = person.Id, AddedAt = time.GetUtcNow().UtcDateTime });
        audit.Record(actor.UserId, AuditActions.ServiceAccountOwnerAdded, "service-account", id, $"owner {person.Email} ({person.Id}) added, {actor.Via}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Added by someone else at the same moment: the owner is there, which is what was asked.
            db.ChangeTracker.Clear();
        }
        // An owner again: a later loss of every owner is news again.
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(set => set.SetProperty(u => u.OwnerlessNoticeAt, (DateTime?)null), cancellationToken);
        return await ReadAsync(actor, id, cancellationToken);
    }

    /// <summary>
    /// <see cref="Operations.ManageServiceAccount"/>: removes an owner. The last one may go too: the
    /// account is then marked as having no owner, and administrators are told.
    /// </summary>
    public async Task<Result<ServiceAccountDetails>> RemoveOwnerAsync(Actor actor, string id, string userId, CancellationToken cancellationToken = default)
    {
        if (await ManageableAsync(actor, id, cancellationToken) is { } refused)
        {
            return refused;
        }
        var removed = await db.ServiceAccountOwners.Where(o => o.ServiceAccountId == id && o.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return new DomainError(ServiceAccountErrorCodes.OwnerNotFound, OwnerField, "That person is not an owner of this service account.", ErrorKind.NotFound);
        }
        audit.Record(actor.UserId, AuditActions.ServiceAccountOwnerRemoved, "service-account", id, $"owner {userId} removed, {actor.Via}");
        await db.SaveChangesAsync(cancellationToken);
        await ScanOwnerlessAsync(cancellationToken);
        // The actor may have removed themselves: they may no longer see it, and that is the answer.
        var after = await ReadAsync(actor, id, cancellationToken);
        return after.Succeeded ? after : Result<ServiceAccountDetails>.Ok(new((await SummariesAsync(db.Users.Where(u => u.Id == id), cancellationToken)).Single(), [], []));
    }

    /// <summary><see cref="Operations.ManageServiceAccount"/>: a disabled service account's tokens stop working at once; enabling brings them back.</summary>
    public async Task<Result<ServiceAccountDetails>> SetDisabledAsync(Actor actor, string id, bool disabled, CancellationToken cancellationToken = default)
    {
        if (await ManageableAsync(actor, id, cancellationToken) is { } refused)
        {
            return refused;
        }
        var changed = await db.Users.Where(u => u.Id == id && u.IsDisabled != disabled)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.IsDisabled, disabled), cancellationToken);
        if (changed == 1)
        {
            audit.Record(actor.UserId, disabled ? AuditActions.ServiceAccountDisabled : AuditActions.ServiceAccountEnabled, "service-account", id, actor.Via);
            await db.SaveChangesAsync(cancellationToken);
        }
        return await ReadAsync(actor, id, cancellationToken);
    }

    /// <summary><see cref="Operations.DeleteServiceAccount"/>: revokes its tokens; the account stays as a tombstone for the audit trail.</summary>
    public async Task<Result<int>> DeleteAsync(Actor actor, string id, CancellationToken cancellationToken = default)
    {
        var account = await db.Users.SingleOrDefaultAsync(u => u.Id == id && u.IsServiceAccount && u.DeletedAt == null, cancellationToken);
        if (account is null)
        {
            return NotFound;
        }
        if (await guard.AuthorizeAsync(actor, Operations.DeleteServiceAccount, id, NotFound, cancellationToken) is { } refused)
        {
            return refused;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var name = account.DisplayName;
        account.DeletedAt = time.GetUtcNow().UtcDateTime;
        account.IsDisabled = true;
        account.UserName = $"deleted-{account.Id}";
        account.NormalizedUserName = account.UserName.ToUpperInvariant();
        account.DisplayName = $"{name} (deleted)";
        account.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(cancellationToken);
        await db.ServiceAccountOwners.Where(o => o.ServiceAccountId == id).ExecuteDeleteAsync(cancellationToken);
        var revoked = await revoker.RevokeAllAsync(id, actor.UserId, cancellationToken, $"service account '{name}' deleted, {actor.Via}");
        audit.Record(actor.UserId, AuditActions.ServiceAccountDeleted, "service-account", id, $"service account '{name}', {revoked} token(s) revoked, {actor.Via}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result<int>.Ok(revoked);
    }

    /// <summary>
    /// Tells the administrators of users, once each time it happens, about every service account that
    /// has lost its last active owner (disabled, deleted or removed); returns how many. Scheduled, and
    /// run after owners change.
    /// </summary>
    public async Task<int> ScanOwnerlessAsync(CancellationToken cancellationToken = default)
    {
        var ownerless = await db.Users.AsNoTracking()
            .Where(a => a.IsServiceAccount && a.DeletedAt == null && a.OwnerlessNoticeAt == null
                && !db.ServiceAccountOwners.Any(o => o.ServiceAccountId == a.Id
                    && db.Users.Any(p => p.Id == o.UserId && !p.IsDisabled && p.DeletedAt == null)))
            .Select(a => new { a.Id, a.DisplayName })
            .ToListAsync(cancellationToken);
        if (ownerless.Count == 0)
        {
            return 0;
        }
        var adminRoles = PanelRoles.All.Where(r => r.Permissions.Contains(Permission.UsersWrite)).Select(r => r.Name).ToList();
        var administrators = await (from ur in db.UserRoles
                                    join r in db.Roles on ur.RoleId equals r.Id
                                    join u in db.Users on ur.UserId equals u.Id
                                    where adminRoles.Contains(r.Name!) && !u.IsServiceAccount && !u.IsDisabled && u.DeletedAt == null
                                    select u.Id).Distinct().ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var told = 0;
        foreach (var account in ownerless)
        {
            // Whichever instance marks it first tells; the others find it marked.
            if (await db.Users.Where(u => u.Id == account.Id && u.OwnerlessNoticeAt == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(u => u.OwnerlessNoticeAt, now), cancellationToken) != 1)
            {
                continue;
            }
            foreach (var administrator in administrators)
            {
                notices.AddWithoutToken(administrator, account.DisplayName, NoticeKind.AccountOwnerless, $"ownerless-{now:yyyyMMddHHmmss}");
            }
            told++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return told;
    }

    private async Task<DomainError?> ManageableAsync(Actor actor, string id, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.Id == id && u.IsServiceAccount && u.DeletedAt == null, cancellationToken))
        {
            return NotFound;
        }
        return await guard.AuthorizeAsync(actor, Operations.ManageServiceAccount, id, NotFound, cancellationToken);
    }

    private async Task<IReadOnlyList<ServiceAccountSummary>> SummariesAsync(IQueryable<PanelUser> accounts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await accounts.AsNoTracking()
            .OrderBy(a => a.DisplayName)
            .Select(a => new
            {
                a.Id,
                a.DisplayName,
                a.Description,
                Role = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == a.Id select r.Name).FirstOrDefault(),
                a.IsDisabled,
                a.CreatedAt,
                ActiveOwners = db.ServiceAccountOwners.Count(o => o.ServiceAccountId == a.Id
                    && db.Users.Any(p => p.Id == o.UserId && !p.IsDisabled && p.DeletedAt == null)),
                LiveTokens = db.AccessTokens.Count(t => t.OwnerId == a.Id && t.Kind == TokenKind.Standard && t.RevokedAt == null && t.ExpiresAt > now),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ServiceAccountSummary(r.Id, r.DisplayName, r.Description, r.Role, r.IsDisabled, r.CreatedAt, r.ActiveOwners, r.LiveTokens))
            .ToList();
    }
}

/// <summary>The codes of service account refusals (besides the token and authorization codes they share).</summary>
public static class ServiceAccountErrorCodes
{
    public const string NameInvalid = "name-invalid";
    public const string DescriptionTooLong = "description-too-long";
    public const string NameTaken = "name-taken";
    /// <summary>A service account's token tried to create a service account.</summary>
    public const string OwnerNotPerson = "owner-not-person";
    public const string OwnerUnknown = "owner-unknown";
    public const string OwnerOutranked = "owner-outranked";
    public const string OwnerNotFound = "owner-not-found";
}

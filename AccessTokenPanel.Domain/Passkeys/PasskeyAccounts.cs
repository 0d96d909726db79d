using System.Buffers.Text;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Passkeys;

/// <summary>One passkey as its owner sees it; <see cref="Id"/> is the credential id, base64url.</summary>
public sealed record PasskeyView(string Id, string Name, DateTime AddedAt, DateTime? LastUsedAt);

/// <summary>The codes of passkey refusals.</summary>
public static class PasskeyErrorCodes
{
    public const string Limit = "passkey-limit";
    public const string NameTooLong = "passkey-name-too-long";
    public const string NameRequired = "passkey-name-required";
    public const string NotFound = "passkey-not-found";
    public const string NotUserVerified = "passkey-not-user-verified";
    public const string AlreadyAdded = "passkey-already-added";
    /// <summary>Identity refused to store the passkey (its own errors in the message).</summary>
    public const string NotSaved = "passkey-not-saved";
    public const string NotRemoved = "passkey-not-removed";
}

/// <summary>The codes and messages of passkey refusals, the same on every surface.</summary>
public static class PasskeyErrors
{
    public const string NameField = "Name";

    public static readonly DomainError TooMany = new(PasskeyErrorCodes.Limit, "",
        $"You already have {PasskeyAccounts.MaxPerUser} passkeys, the most an account may have. Remove one first.", ErrorKind.Conflict);
    public static readonly DomainError NameTooLong = new(PasskeyErrorCodes.NameTooLong, NameField,
        $"A passkey name has at most {PasskeyAccounts.MaxNameLength} characters.");
    public static readonly DomainError NameRequired = new(PasskeyErrorCodes.NameRequired, NameField, "Enter a name for the passkey.");
    public static readonly DomainError NotFound = new(PasskeyErrorCodes.NotFound, "", "There is no such passkey on your account.", ErrorKind.NotFound);
    public static readonly DomainError NotUserVerified = new(PasskeyErrorCodes.NotUserVerified, "",
        "This authenticator did not verify you (no PIN, fingerprint or face): a passkey must, because it signs you in on its own.");
    public static readonly DomainError AlreadyAdded = new(PasskeyErrorCodes.AlreadyAdded, "", "This passkey is already on an account.", ErrorKind.Conflict);
}

/// <summary>
/// The signed-in user's passkeys (Identity's own passkey store): list, add (with a current code),
/// rename, remove (with a current code), at most <see cref="MaxPerUser"/>. The WebAuthn ceremony
/// itself (options, attestation, assertion) is Identity's <c>SignInManager</c>'s, in the host.
/// </summary>
public sealed class PasskeyAccounts(PanelDbContext db, UserManager<PanelUser> users, OperationGuard guard, AuditLog audit, TimeProvider time)
{
    public const int MaxPerUser = 10;
    public const int MaxNameLength = 100;

    public async Task<Result<IReadOnlyList<PasskeyView>>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.ListOwnPasskeys, actor.UserId, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        var user = await users.FindByIdAsync(actor.UserId!);
        if (user is null)
        {
            return AuthorizationErrors.NotEnrolled;
        }
        var lastUses = await db.PasskeyLastUses.AsNoTracking().Where(u => u.UserId == user.Id).ToListAsync(cancellationToken);
        var passkeys = await users.GetPasskeysAsync(user);
        return Result<IReadOnlyList<PasskeyView>>.Ok(passkeys
            .OrderBy(p => p.CreatedAt)
            .Select(p => new PasskeyView(
                Base64Url.EncodeToString(p.CredentialId),
                p.Name ?? "Unnamed passkey",
                p.CreatedAt.UtcDateTime,
                lastUses.FirstOrDefault(u => u.CredentialId.AsSpan().SequenceEqual(p.CredentialId))?.LastUsedAt))
            .ToList());
    }

    /// <summary>Whether the actor may start adding a passkey (before the browser's dialog): authorized and under the limit.</summary>
    public async Task<DomainError?> CanAddAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.AddPasskey, actor.UserId, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        var user = await users.FindByIdAsync(actor.UserId!);
        if (user is null)
        {
            return AuthorizationErrors.NotEnrolled;
        }
        return (await users.GetPasskeysAsync(user)).Count >= MaxPerUser ? PasskeyErrors.TooMany : null;
    }

    /// <summary>
    /// Adds the passkey that Identity's attestation verified, named <paramref name="name"/> (or
    /// "Passkey N"). The name and the limit are checked before the code, so a mistake never spends it.
    /// </summary>
    public async Task<Result<PasskeyView>> AddAsync(Actor actor, UserPasskeyInfo passkey, string? name, CancellationToken cancellationToken = default)
    {
        if (await CanAddAsync(actor, cancellationToken) is { } refused)
        {
            return refused;
        }
        name = name?.Trim();
        if (name is { Length: > MaxNameLength })
        {
            return PasskeyErrors.NameTooLong;
        }
        if (!passkey.IsUserVerified)
        {
            return PasskeyErrors.NotUserVerified;
        }
        if (await users.FindByPasskeyIdAsync(passkey.CredentialId) is not null)
        {
            return PasskeyErrors.AlreadyAdded;
        }
        if (await guard.StepUpAsync(actor, cancellationToken) is { } stepUpRefused)
        {
            return stepUpRefused;
        }
        var user = (await users.FindByIdAsync(actor.UserId!))!;
        passkey.Name = string.IsNullOrEmpty(name) ? $"Passkey {(await users.GetPasskeysAsync(user)).Count + 1}" : name;
        var result = await users.AddOrUpdatePasskeyAsync(user, passkey);
        if (!result.Succeeded)
        {
            return new DomainError(PasskeyErrorCodes.NotSaved, "", string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        audit.Record(actor.UserId, AuditActions.PasskeyAdded, "user", user.Id, $"{user.Email} added the passkey \"{passkey.Name}\", {actor.Via}");
        await db.SaveChangesAsync(cancellationToken);
        return Result<PasskeyView>.Ok(new PasskeyView(Base64Url.EncodeToString(passkey.CredentialId), passkey.Name, passkey.CreatedAt.UtcDateTime, null));
    }

    public async Task<Result<PasskeyView>> RenameAsync(Actor actor, string id, string? name, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.RenamePasskey, actor.UserId, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return PasskeyErrors.NameRequired;
        }
        if (name.Length > MaxNameLength)
        {
            return PasskeyErrors.NameTooLong;
        }
        var (user, passkey) = await FindAsync(actor.UserId!, id);
        if (user is null || passkey is null)
        {
            return PasskeyErrors.NotFound;
        }
        var old = passkey.Name;
        passkey.Name = name;
        var result = await users.AddOrUpdatePasskeyAsync(user, passkey);
        if (!result.Succeeded)
        {
            return new DomainError(PasskeyErrorCodes.NotSaved, "", string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        audit.Record(actor.UserId, AuditActions.PasskeyRenamed, "user", user.Id, $"{user.Email} renamed the passkey \"{old}\" to \"{name}\", {actor.Via}");
        await db.SaveChangesAsync(cancellationToken);
        return Result<PasskeyView>.Ok(new PasskeyView(id, name, passkey.CreatedAt.UtcDateTime, null));
    }

    public async Task<Result<PasskeyView>> RemoveAsync(Actor actor, string id, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.RemovePasskey, actor.UserId, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        var (user, passkey) = await FindAsync(actor.UserId!, id);
        if (user is null || passkey is null)
        {
            return PasskeyErrors.NotFound;
        }
        if (await guard.StepUpAsync(actor, cancellationToken) is { } stepUpRefused)
        {
            return stepUpRefused;
        }
        var result = await users.RemovePasskeyAsync(user, passkey.CredentialId);
        if (!result.Succeeded)
        {
            return new DomainError(PasskeyErrorCodes.NotRemoved, "", string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        await db.PasskeyLastUses.Where(u => u.CredentialId == passkey.CredentialId).ExecuteDeleteAsync(cancellationToken);
        audit.Record(actor.UserId, AuditActions.PasskeyRemoved, "user", user.Id, $"{user.Email} removed the passkey \"{passkey.Name}\", {actor.Via}");
        await db.SaveChangesAsync(cancellationToken);
        return Result<PasskeyView>.Ok(new PasskeyView(id, passkey.Name ?? "", passkey.CreatedAt.UtcDateTime, null));
    }

    /// <summary>
    /// Removes every passkey of the user (their second factor was reset: whoever holds one of them
    /// must not sign in without enrolling again). Returns how many. The caller saves and audits.
    /// </summary>
    public async Task<int> RemoveAllAsync(PanelUser user, CancellationToken cancellationToken = default)
    {
        var passkeys = await users.GetPasskeysAsync(user);
        foreach (var passkey in passkeys)
        {
            var result = await users.RemovePasskeyAsync(user, passkey.CredentialId);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"A passkey could not be removed: {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }
        }
        await db.PasskeyLastUses.Where(u => u.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        return passkeys.Count;
    }

    /// <summary>Records that the passkey just signed its user in ("last used").</summary>
    public async Task RecordUseAsync(string userId, byte[] credentialId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (await db.PasskeyLastUses.Where(u => u.CredentialId == credentialId)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastUsedAt, now), cancellationToken) == 0)
        {
            db.PasskeyLastUses.Add(new PasskeyLastUse { CredentialId = credentialId, UserId = userId, LastUsedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Two sign-ins with one passkey at once: the other one recorded it.
            }
        }
    }

    /// <summary>How many passkeys each user has (users with none are left out), for the users list.</summary>
    public async Task<Dictionary<string, int>> CountByUserAsync(CancellationToken cancellationToken = default) =>
        await db.Set<IdentityUserPasskey<string>>().AsNoTracking()
            .GroupBy(p => p.UserId)
            .Select(g => new { UserId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.UserId, g => g.Count, cancellationToken);

    private async Task<(PanelUser? User, UserPasskeyInfo? Passkey)> FindAsync(string userId, string id)
    {
        var credentialId = Decode(id);
        var user = credentialId is null ? null : await users.FindByIdAsync(userId);
        return user is null ? (null, null) : (user, await users.GetPasskeyAsync(user, credentialId!));
    }

    private static byte[]? Decode(string id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 2048)
        {
            return null;
        }
        try
        {
            return Base64Url.DecodeFromChars(id);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

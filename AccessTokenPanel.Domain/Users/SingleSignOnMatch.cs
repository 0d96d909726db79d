using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Users;

/// <summary>Why a provider's user is not let in (the refusal page names the reason).</summary>
public enum SingleSignOnRefusal
{
    None,
    /// <summary>No panel user has the subject as externalId, nor the provider-verified email.</summary>
    NoMatch,
    Disabled,
    /// <summary>No match, and a new user could not be made (no verified email, or the email or subject is taken).</summary>
    NotCreated,
}

/// <summary>The panel user a provider's user is, or why there is none.</summary>
public sealed record SingleSignOnMatchResult(PanelUser? User, SingleSignOnRefusal Refusal, string MatchedBy = "");

/// <summary>
/// Who a single sign-on user is on the panel: the user whose SCIM externalId is the provider's
/// subject (the provider provisions users with it), else the user with the email the provider says
/// it verified. An unverified email matches nobody: anyone can type any address at some providers.
/// Deleted users match nobody; disabled ones are refused.
/// </summary>
public sealed class SingleSignOnMatch(UserManager<PanelUser> users, PanelDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>
    /// <see cref="Operations.CreateUserBySso"/>: makes the provider's user a panel user at their first
    /// single sign-on (the operator turned it on), with <paramref name="roleName"/>, which must be no
    /// administrator role (<see cref="PanelRoles.IsAdministratorRole"/>). Only a provider-verified
    /// email is taken; the subject becomes the user's externalId, so the next sign-in matches by it.
    /// The user has no password and enrolls an authenticator before anything else.
    /// </summary>
    public async Task<SingleSignOnMatchResult> CreateAsync(string subject, string? email, bool emailVerified, string? displayName, string roleName,
        string via, CancellationToken cancellationToken = default)
    {
        if (PanelRoles.Find(roleName) is not { } role || PanelRoles.IsAdministratorRole(role))
        {
            throw new InvalidOperationException($"Single sign-on may not create users with the role '{roleName}' (an administrator role, or none).");
        }
        email = email?.Trim();
        if (string.IsNullOrWhiteSpace(subject) || !emailVerified || string.IsNullOrEmpty(email) || email.Length > 256 || subject.Length > 200)
        {
            return new(null, SingleSignOnRefusal.NotCreated);
        }
        var user = new PanelUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim() is { Length: <= 256 } name ? name : email,
            ExternalId = subject,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(user);
        }
        catch (DbUpdateException)
        {
            // The unique externalId: the same person's other first sign-in created them just now.
            db.ChangeTracker.Clear();
            created = IdentityResult.Failed();
        }
        if (!created.Succeeded)
        {
            // The email or user name is taken by a user the match did not accept (deleted), or a
            // second first sign-in of the same person made the user a moment ago: match again.
            var again = await FindAsync(subject, email, emailVerified, cancellationToken);
            return again.User is null ? new(null, SingleSignOnRefusal.NotCreated) : again;
        }
        var added = await users.AddToRoleAsync(user, role.Name);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return new(null, SingleSignOnRefusal.NotCreated);
        }
        audit.Record(null, AuditActions.UserCreated, "user", user.Id,
            $"{email} with role {role.Name}, created at their first single sign-on (subject {subject}), {via}");
        await db.SaveChangesAsync(cancellationToken);
        return new(user, SingleSignOnRefusal.None, "created");
    }

    public async Task<SingleSignOnMatchResult> FindAsync(string? subject, string? email, bool emailVerified, CancellationToken cancellationToken = default)
    {
        PanelUser? user = null;
        var matchedBy = "";
        if (!string.IsNullOrWhiteSpace(subject))
        {
            user = await users.Users.SingleOrDefaultAsync(u => u.ExternalId == subject && u.DeletedAt == null, cancellationToken);
            matchedBy = "subject";
        }
        if (user is null && emailVerified && !string.IsNullOrWhiteSpace(email))
        {
            user = await users.FindByEmailAsync(email);
            user = user is { DeletedAt: null } ? user : null;
            matchedBy = "verified email";
        }
        return user switch
        {
            null => new(null, SingleSignOnRefusal.NoMatch),
            { IsDisabled: true } => new(user, SingleSignOnRefusal.Disabled, matchedBy),
            _ => new(user, SingleSignOnRefusal.None, matchedBy),
        };
    }
}

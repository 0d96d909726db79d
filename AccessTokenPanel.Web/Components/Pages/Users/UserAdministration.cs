using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Passkeys;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Localization;
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
    bool IsLockedOut, DateTime CreatedAt, int ActiveSessions, int Passkeys = 0);

/// <summary>
/// The Users page's side of the Domain's <see cref="UserAccounts"/>: the signed-in user acts with
/// their own current permissions (looked up on every action, never taken from the page), and the
/// answers become field messages.
/// </summary>
public sealed class UserAdministration(
    PanelDbContext db, UserManager<PanelUser> users, PermissionResolver permissions, UserAccounts accounts, PasskeyAccounts passkeys)
{
    private const string Via = "on the Users page";

    [Performs("users.read")]
    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var roles = await (
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            select new { userRole.UserId, role.Name }).ToListAsync(cancellationToken);
        var rolesByUser = roles.ToLookup(r => r.UserId, r => r.Name ?? "");
        var sessions = await db.UserSessions.AsNoTracking()
            .Where(s => s.EndedAt == null && s.Stage == SessionStage.SignedIn)
            .GroupBy(s => s.UserId)
            .Select(g => new { UserId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.UserId, g => g.Count, cancellationToken);
        var passkeyCounts = await passkeys.CountByUserAsync(cancellationToken);
        var list = await db.Users.AsNoTracking().Where(u => !u.IsServiceAccount).OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var rows = new List<UserRow>(list.Count);
        foreach (var u in list)
        {
            // Identity decides lockout on its own clock; ask it rather than compare here.
            rows.Add(new UserRow(
                u.Id, u.Email ?? u.UserName ?? "", u.DisplayName, rolesByUser[u.Id].Order().ToList(), u.IsDisabled,
                u.TwoFactorEnabled, await users.IsLockedOutAsync(u), u.CreatedAt, sessions.GetValueOrDefault(u.Id),
                passkeyCounts.GetValueOrDefault(u.Id)));
        }
        return rows;
    }

    [Performs()]
    public async Task<IReadOnlyList<PanelRole>> AssignableRolesAsync(string actorId) =>
        PanelRoles.DelegableBy(await permissions.GetPermissionsAsync(actorId));

    [Performs("users.create")]
    public async Task<UserChangeResult> CreateAsync(string actorId, string email, string displayName, string roleName, string password)
    {
        if (PanelRoles.Find(roleName) is null)
        {
            return new(UserChangeError.Invalid, "Choose a role.", "Role");
        }
        return ToPage(await accounts.CreateAsync(await ActorAsync(actorId), new NewUserRequest
        {
            Email = email,
            DisplayName = displayName,
            Password = password,
            Roles = [roleName],
        }));
    }

    [Performs("users.update")]
    public async Task<UserChangeResult> DisableAsync(string actorId, string userId) =>
        ToPage(await accounts.SetActiveAsync(await ActorAsync(actorId), userId, active: false));

    [Performs("users.update")]
    public async Task<UserChangeResult> EnableAsync(string actorId, string userId) =>
        ToPage(await accounts.SetActiveAsync(await ActorAsync(actorId), userId, active: true));

    /// <summary>Removes the user's authenticator and recovery codes and unlocks them; they enroll again at next sign-in.</summary>
    [Performs("users.reset-second-factor")]
    public async Task<UserChangeResult> ResetSecondFactorAsync(string actorId, string userId) =>
        ToPage(await accounts.ResetSecondFactorAsync(await ActorAsync(actorId), userId));

    /// <summary>Signs the user out on every browser (their open pages too, through the new security stamp).</summary>
    [Performs("users.end-sessions")]
    public async Task<UserChangeResult> EndSessionsAsync(string actorId, string userId) =>
        ToPage(await accounts.EndSessionsAsync(await ActorAsync(actorId), userId));

    // The page passes an actor CircuitActor has just checked (signed in, session valid, enrolled).
    private async Task<Actor> ActorAsync(string actorId) => Actor.Session(actorId, await permissions.GetPermissionsAsync(actorId), enrolled: true, via: Via);

    private static readonly Microsoft.Extensions.Localization.IStringLocalizer Texts = StaticLocalizer.For<UserTexts>();

    internal static UserChangeResult ToPage(UserAccountResult result) => result.Error switch
    {
        UserAccountError.None => UserChangeResult.Ok,
        UserAccountError.NotFound => new(UserChangeError.NotFound, Texts["That user no longer exists."]),
        UserAccountError.OutrankedTarget or UserAccountError.Forbidden => new(UserChangeError.OutrankedTarget, Translated(result, $"Refusal.{result.Error}")),
        UserAccountError.Self => new(UserChangeError.Self, Texts["You cannot do this to your own account."]),
        UserAccountError.RoleNotDelegable or UserAccountError.RoleUnknown => new(UserChangeError.RoleNotDelegable, Translated(result, $"Refusal.{result.Error}"), "Role"),
        // Identity's own refusals (a taken email, the password rules) come translated by PanelIdentityErrorDescriber.
        _ => new(UserChangeError.Invalid, result.Message, result.Field switch
        {
            "password" => "Password",
            "email" or "userName" => "Email",
            "displayName" => "DisplayName",
            _ => null,
        }),
    };

    /// <summary>The Domain's English message, or in another language the translation of its kind (the message may name a role).</summary>
    private static string Translated(UserAccountResult result, string key) =>
        PanelLanguages.Current == PanelLanguages.English ? result.Message : Texts[key];
}

using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Authentication.Sso;

/// <summary>
/// <c>Sso:Only</c>: the organization's provider decides who signs in, so a password (on the
/// sign-in page or the user-token API) and a passkey sign-in are refused for everyone but the
/// break-glass Super Administrator named by <c>Sso:BreakGlassEmail</c>. Passkeys stay usable as
/// step-up after single sign-on.
/// </summary>
public static class SsoSignInPolicy
{
    /// <summary>Whether <paramref name="user"/> may sign in without the provider (password, passkey) under these options.</summary>
    public static async Task<bool> MayUsePasswordAsync(SsoOptions options, UserManager<PanelUser> users, PanelUser user) =>
        !options.Enabled || !options.Only
        || (options.IsBreakGlass(user.Email) && await users.IsInRoleAsync(user, PanelRoles.SuperAdministrator));
}

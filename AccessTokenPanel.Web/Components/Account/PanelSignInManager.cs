using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// Identity's sign-in with the panel's rules: a disabled user cannot sign in and their existing
/// cookie stops validating; wrong recovery codes count toward lockout like wrong TOTP codes.
/// </summary>
public sealed class PanelSignInManager(
    UserManager<PanelUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PanelUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PanelUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PanelUser> confirmation,
    TimeProvider time)
    : SignInManager<PanelUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(PanelUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    /// <summary>Locked out by Identity (wrong passwords) or by the authentication-code gate (wrong codes).</summary>
    protected override async Task<bool> IsLockedOut(PanelUser user) =>
        await base.IsLockedOut(user) || user.TotpLockedUntil > time.GetUtcNow().UtcDateTime;

    public override async Task<bool> ValidateSecurityStampAsync(PanelUser? user, string? securityStamp) =>
        user is { IsDisabled: false } && await base.ValidateSecurityStampAsync(user, securityStamp);

    public override async Task<SignInResult> CheckPasswordSignInAsync(PanelUser user, string password, bool lockoutOnFailure)
    {
        // Only someone who knows the password learns that the account is disabled.
        if (user.IsDisabled && !await UserManager.CheckPasswordAsync(user, password))
        {
            return SignInResult.Failed;
        }
        return await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        if (user is not null && await UserManager.IsLockedOutAsync(user))
        {
            return SignInResult.LockedOut;
        }
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        if (!result.Succeeded && user is not null && !result.IsNotAllowed)
        {
            await UserManager.AccessFailedAsync(user);
            if (await UserManager.IsLockedOutAsync(user))
            {
                return SignInResult.LockedOut;
            }
        }
        return result;
    }
}

using System.Security.Claims;
using System.Text.Json;
using AccessTokenPanel.Domain.Passkeys;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Hosting;
using AccessTokenPanel.Web.Authentication.Sso;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// Identity's sign-in with the panel's rules: a disabled user cannot sign in and their existing
/// cookie stops validating; wrong recovery codes count toward lockout like wrong TOTP codes; an
/// unknown email costs a password hash like a known one; the password step completes one sign-in
/// at most; failures and lockouts are audited.
/// </summary>
public sealed class PanelSignInManager(
    UserManager<PanelUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PanelUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PanelUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PanelUser> confirmation,
    TimeProvider time,
    SignInAudit audit,
    DecoyPasswordCheck decoy,
    PasskeyAccounts passkeys,
    IOptions<SsoOptions> sso)
    : SignInManager<PanelUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private string? Address => ClientAddress.TextOf(Context);

    public override async Task<bool> CanSignInAsync(PanelUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    /// <summary>Locked out by Identity (wrong passwords) or by the authentication-code gate (wrong codes).</summary>
    protected override async Task<bool> IsLockedOut(PanelUser user) =>
        await base.IsLockedOut(user) || user.TotpLockedUntil > time.GetUtcNow().UtcDateTime;

    public override async Task<bool> ValidateSecurityStampAsync(PanelUser? user, string? securityStamp) =>
        user is { IsDisabled: false } && await base.ValidateSecurityStampAsync(user, securityStamp);

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            // The same work as a wrong password for a real account, so the answer's timing tells nothing.
            decoy.Spend(password);
            await audit.FailedAsync(null, userName, "password", Address);
            // Under Sso:Only every refusal reads the same, so the answer does not tell who has an account.
            return sso.Value is { Enabled: true, Only: true } ? SignInResult.NotAllowed : SignInResult.Failed;
        }
        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> CheckPasswordSignInAsync(PanelUser user, string password, bool lockoutOnFailure)
    {
        var wasLockedOut = await UserManager.IsLockedOutAsync(user);
        if (!await SsoSignInPolicy.MayUsePasswordAsync(sso.Value, UserManager, user))
        {
            // Sso:Only: the same work as a real check, so the answer's timing tells nothing.
            decoy.Spend(password);
            await audit.FailedAsync(user.Id, user.Email ?? user.UserName, "password, single sign-on only", Address);
            return SignInResult.NotAllowed;
        }
        SignInResult result;
        // Only someone who knows the password learns that the account is disabled.
        if (user.IsDisabled && !await UserManager.CheckPasswordAsync(user, password))
        {
            result = SignInResult.Failed;
        }
        else
        {
            result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        }
        if (!result.Succeeded)
        {
            await AuditFailureAsync(user, "password", result, wasLockedOut);
        }
        return result;
    }

    /// <summary>Why the last <see cref="PasskeySignInAsync"/> failed (Identity's words), for the log; the page shows a plain message.</summary>
    public string? PasskeyFailure { get; private set; }

    /// <summary>
    /// Sign-in with a passkey alone: the authenticator verified the user (PIN or biometrics; Identity's
    /// handler requires it), so the passkey is both factors and no code step follows. The session
    /// records the method; the authenticator code stays enrolled as the fallback.
    /// </summary>
    public override async Task<SignInResult> PasskeySignInAsync(string credentialJson)
    {
        PasskeyAssertionResult<PanelUser> assertion;
        try
        {
            assertion = await PerformPasskeyAssertionAsync(credentialJson);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or JsonException)
        {
            // No ceremony under way (state cookie missing or expired) or a malformed answer.
            assertion = PasskeyAssertionResult.Fail<PanelUser>(new PasskeyException("The passkey sign-in expired or was not started here."));
        }
        if (!assertion.Succeeded)
        {
            PasskeyFailure = assertion.Failure.Message;
            await audit.FailedAsync(null, "(passkey)", "passkey", Address);
            return SignInResult.Failed;
        }
        var user = assertion.User;
        var wasLockedOut = await UserManager.IsLockedOutAsync(user);
        if (await PreSignInCheck(user) is { } refused)
        {
            await AuditFailureAsync(user, "passkey", refused, wasLockedOut);
            return refused;
        }
        if (!await SsoSignInPolicy.MayUsePasswordAsync(sso.Value, UserManager, user))
        {
            await audit.FailedAsync(user.Id, user.Email ?? user.UserName, "passkey, single sign-on only", Address);
            return SignInResult.NotAllowed;
        }
        if (!assertion.Passkey.IsUserVerified || !await PanelClaims.HasEnrolledAsync(UserManager, user))
        {
            await AuditFailureAsync(user, "passkey", SignInResult.Failed, wasLockedOut);
            return SignInResult.Failed;
        }
        // The new signature counter (a cloned authenticator shows up as a counter going back).
        if (!(await UserManager.AddOrUpdatePasskeyAsync(user, assertion.Passkey)).Succeeded)
        {
            return SignInResult.Failed;
        }
        await passkeys.RecordUseAsync(user.Id, assertion.Passkey.CredentialId);
        Context.Items[SessionCookies.SignInMethodKey] = SignInMethods.Passkey;
        await SignInWithClaimsAsync(user, isPersistent: false,
            [new Claim("amr", "hwk"), new Claim("amr", "mfa"), new Claim(ClaimTypes.AuthenticationMethod, SignInMethods.Passkey)]);
        return SignInResult.Success;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        Context.Items[SessionCookies.SignInMethodKey] = SignInMethods.PasswordAndCode;
        return await WithPasswordStepAsync("authentication code", () => base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient));
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode) =>
        await WithPasswordStepAsync("recovery code", async () =>
        {
            Context.Items[SessionCookies.SignInMethodKey] = SignInMethods.PasswordAndRecoveryCode;
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
        });

    /// <summary>
    /// The code step, holding the password step exclusively: a replayed or concurrently used
    /// two-factor cookie finds it taken and fails; a wrong code gives it back for another try.
    /// </summary>
    private async Task<SignInResult> WithPasswordStepAsync(string step, Func<Task<SignInResult>> signIn)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var passwordStep = user is null ? null : await SessionCookies.ClaimPasswordStepAsync(Context);
        if (user is null || passwordStep is null)
        {
            return SignInResult.Failed;
        }
        var wasLockedOut = await UserManager.IsLockedOutAsync(user);
        // After single sign-on the step's cookie carries the provider's subject and session: the
        // session about to start records them (the provider's logout ends it by either).
        if (SsoSignIn.ProviderSessionOf((await Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme)).Principal) is { } provider)
        {
            Context.Items[SessionCookies.ProviderSessionKey] = provider;
        }
        var result = await signIn();
        if (!result.Succeeded)
        {
            await SessionCookies.ReleasePasswordStepAsync(Context, passwordStep);
            await AuditFailureAsync(user, step, result, wasLockedOut);
        }
        return result;
    }

    private async Task AuditFailureAsync(PanelUser user, string step, SignInResult result, bool wasLockedOut)
    {
        if (result.RequiresTwoFactor)
        {
            return;
        }
        await audit.FailedAsync(user.Id, user.Email ?? user.UserName, step, Address);
        if (result.IsLockedOut && !wasLockedOut)
        {
            await audit.LockedOutAsync(user.Id, user.Email ?? user.UserName, Address);
        }
    }
}

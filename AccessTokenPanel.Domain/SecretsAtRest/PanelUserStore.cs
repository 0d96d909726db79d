using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.SecretsAtRest;

/// <summary>
/// Identity's EF user store, with the authenticator key encrypted and the recovery codes hashed
/// in AspNetUserTokens (<see cref="TwoFactorSecrets"/>). Everything else is Identity's.
/// </summary>
public sealed class PanelUserStore(PanelDbContext context, TwoFactorSecrets secrets, IdentityErrorDescriber? describer = null)
    : UserStore<PanelUser, IdentityRole, PanelDbContext>(context, describer)
{
    /// <summary>Identity's own names for the rows (UserStoreBase keeps them private).</summary>
    public const string LoginProvider = "[AspNetUserStore]";
    public const string AuthenticatorKeyName = "AuthenticatorKey";
    public const string RecoveryCodesName = "RecoveryCodes";

    public override Task SetAuthenticatorKeyAsync(PanelUser user, string key, CancellationToken cancellationToken) =>
        SetTokenAsync(user, LoginProvider, AuthenticatorKeyName, secrets.ProtectKey(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(PanelUser user, CancellationToken cancellationToken) =>
        secrets.UnprotectKey(await GetTokenAsync(user, LoginProvider, AuthenticatorKeyName, cancellationToken));

    public override Task ReplaceCodesAsync(PanelUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        SetTokenAsync(user, LoginProvider, RecoveryCodesName, TwoFactorSecrets.HashCodes(recoveryCodes), cancellationToken);

    public override async Task<bool> RedeemCodeAsync(PanelUser user, string code, CancellationToken cancellationToken)
    {
        var remaining = TwoFactorSecrets.Redeem(await GetTokenAsync(user, LoginProvider, RecoveryCodesName, cancellationToken), code);
        if (remaining is null)
        {
            return false;
        }
        await SetTokenAsync(user, LoginProvider, RecoveryCodesName, remaining, cancellationToken);
        return true;
    }

    public override async Task<int> CountCodesAsync(PanelUser user, CancellationToken cancellationToken) =>
        TwoFactorSecrets.Count(await GetTokenAsync(user, LoginProvider, RecoveryCodesName, cancellationToken));
}

using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Domain.TwoFactor;

/// <summary>
/// Identity's authenticator provider, replaced: one step of drift instead of two, the injected
/// clock, and no replay. Registered under <see cref="TokenOptions.DefaultAuthenticatorProvider"/> so
/// Identity's two-step sign-in, lockout and recovery codes keep working around it.
/// </summary>
public sealed class TotpAuthenticatorTokenProvider(TotpVerifier verifier) : IUserTwoFactorTokenProvider<PanelUser>
{
    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<PanelUser> manager, PanelUser user) =>
        !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));

    // The authenticator app makes the codes; the server never sends one.
    public Task<string> GenerateAsync(string purpose, UserManager<PanelUser> manager, PanelUser user) =>
        Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<PanelUser> manager, PanelUser user) =>
        await verifier.CheckAsync(manager, user, token) == TotpCheck.Valid;
}

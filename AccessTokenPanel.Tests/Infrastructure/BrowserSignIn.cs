using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>Signs a user in through the real pages, as a person would: password, then a TOTP code from oathtool.</summary>
public static class BrowserSignIn
{
    /// <summary>
    /// Signs <paramref name="user"/> (from <see cref="TestUsers.CreateEnrolledUserAsync"/>) in on
    /// <paramref name="page"/>, whose context has the app's base address. The clock moves 30 s
    /// first, so repeated sign-ins never reuse a time step (a code works once).
    /// </summary>
    public static Task SignInAsync(IPage page, TestUser user, FakeTimeProvider time) =>
        SignInAsync(page, user, () =>
        {
            time.Advance(TimeSpan.FromSeconds(30));
            return user.CodeAt(time.GetUtcNow());
        });

    /// <summary>The same, with the code from <paramref name="nextCode"/> (e.g. after moving several instances' clocks).</summary>
    public static async Task SignInAsync(IPage page, TestUser user, Func<string> nextCode)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(user.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByLabel("Authentication code", new() { Exact = true }).WaitForAsync();

        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(nextCode());
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(
            url => !new Uri(url).AbsolutePath.StartsWith("/account/login", StringComparison.Ordinal),
            new() { WaitUntil = WaitUntilState.DOMContentLoaded });
    }
}

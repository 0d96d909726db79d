using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>Signs a user in through the real pages, as a person would: password, then a TOTP code from oathtool.</summary>
public static class BrowserSignIn
{
    /// <summary>
    /// Where a sign-in lands unless a test asks for the home page: the liveness endpoint, a line of
    /// text. Nearly every browser test goes on to a page of its own right after signing in; landing
    /// on the Overview first made the app render it and start its circuit, and the browser load its
    /// scripts, for nothing, about a second of both on each of the suite's ~55 sign-ins.
    /// </summary>
    public const string QuietLanding = "/healthz/live";

    /// <summary>
    /// Signs <paramref name="user"/> (from <see cref="TestUsers.CreateEnrolledUserAsync"/>) in on
    /// <paramref name="page"/>, whose context has the app's base address. The clock moves 30 s
    /// first, so repeated sign-ins never reuse a time step (a code works once). The sign-in ends on
    /// <paramref name="landing"/> (its return address); null: where the panel sends a person, the Overview.
    /// </summary>
    public static Task SignInAsync(IPage page, TestUser user, FakeTimeProvider time, string? landing = QuietLanding) =>
        SignInAsync(page, user, () =>
        {
            time.Advance(TimeSpan.FromSeconds(30));
            return user.CodeAt(time.GetUtcNow());
        }, landing);

    /// <summary>The same, with the code from <paramref name="nextCode"/> (e.g. after moving several instances' clocks).</summary>
    public static async Task SignInAsync(IPage page, TestUser user, Func<string> nextCode, string? landing = QuietLanding)
    {
        await page.GotoAsync(landing is null ? "/account/login" : $"/account/login?returnUrl={Uri.EscapeDataString(landing)}");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(user.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByLabel("Authentication code", new() { Exact = true }).WaitForAsync();

        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(nextCode());
        var verify = page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true });
        if (landing is null)
        {
            await verify.ClickAsync();
            await page.WaitForAddressAsync(url => url.AbsolutePath == "/");
            return;
        }
        // The quiet landing is a line of plain text: its response (the cookie came with the redirect
        // before it) is the end of the sign-in. Not WaitForURLAsync: when the address already
        // matches, Playwright .NET waits for the page's load event whatever WaitUntil says (Commit
        // has no load state of its own), and a plain-text page's load event once never came in a
        // full run (timed out after 30 s with "networkidle" fired). A response has no such state.
        await page.RunAndWaitForResponseAsync(
            () => verify.ClickAsync(),
            response => new Uri(response.Url).AbsolutePath == landing && response.Status == 200);
    }
}

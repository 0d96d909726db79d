using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Account;

/// <summary>What a new operator does after the first start, in Chromium.</summary>
public sealed class FirstRunBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task SetupThenEnrollThenSignOutThenSignInWithPasswordAndCode()
    {
        const string email = "operator@example.test";
        const string password = "first-run-password-42";
        var page = await NewPageAsync();

        // The log holds the full URL (with the real port) when serving on Kestrel.
        var setupUrl = System.Text.RegularExpressions.Regex.Match(Factory.Logs.AllText, @"http://\S+/account/setup\?code=[A-Za-z0-9_-]+").Value;
        Assert.StartsWith(BaseAddress.GetLeftPart(UriPartial.Authority), setupUrl);
        await page.GotoAsync(setupUrl);
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Confirm password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code" })).ToBeVisibleAsync();
        var key = (await page.Locator("#manual-key").InnerTextAsync()).Replace(" ", "");
        await page.GetByLabel("Verification code").FillAsync(Oathtool.Totp(key, Factory.Time.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Enable" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Recovery codes" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(10);

        await page.GotoAsync("/users");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
        await page.GotoAsync("/account/two-factor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);
        await page.GotoAsync("/users");
        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);

        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Authentication code").FillAsync(Oathtool.Totp(key, Factory.Time.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await page.WaitForAddressAsync(url => url.AbsolutePath == "/users");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = email }).First).ToBeVisibleAsync();
    }
}

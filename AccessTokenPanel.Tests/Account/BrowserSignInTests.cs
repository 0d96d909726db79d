using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Account;

public sealed class BrowserSignInTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task EnrolledUserSignsInWithPasswordAndCodeAndReachesProtectedPages()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "alice@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();

        await BrowserSignIn.SignInThroughPagesAsync(page, user, Factory.Time);

        // The enrollment page is protected: reaching it without a redirect to sign-in proves the cookie.
        await page.GotoAsync("/account/two-factor");
        Assert.Equal("/account/two-factor", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByText("already on for your account")).ToBeVisibleAsync();

        // A second sign-in in a fresh context works too (the helper never replays a time step).
        var secondPage = await NewPageAsync();
        await BrowserSignIn.SignInThroughPagesAsync(secondPage, user, Factory.Time);
        await secondPage.GotoAsync("/account/two-factor");
        Assert.Equal("/account/two-factor", new Uri(secondPage.Url).AbsolutePath);
    }

    [Fact]
    public async Task SignInWorksWithJavaScriptDisabled()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "nojs@example.test", PanelRoles.ReadOnly);
        var page = await NewPageAsync(javaScriptEnabled: false);

        await BrowserSignIn.SignInThroughPagesAsync(page, user, Factory.Time);

        await page.GotoAsync("/users");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignedOutVisitorIsSentToSignIn()
    {
        var page = await NewPageAsync();

        await page.GotoAsync("/account/two-factor");

        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }
}

using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Settings;

/// <summary>The Settings and Audit log pages in Chromium: who may change what, and that changes show where they matter.</summary>
public sealed class SettingsAndAuditBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task AnAdministratorShortensTheMaximumLifetimeAndTheChangeIsAuditedAndEnforced()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync(javaScriptEnabled: false);
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        var max = page.GetByLabel("Maximum lifetime (days)");
        await Assertions.Expect(max).ToHaveValueAsync("365");

        await max.FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The maximum lifetime must be between 1 and 3650 days.")).ToBeVisibleAsync();
        await Assertions.Expect(max).ToHaveValueAsync("0");

        await max.FillAsync("183");
        await page.GetByLabel("SCIM API").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The settings were saved.")).ToBeVisibleAsync();
        await Assertions.Expect(max).ToHaveValueAsync("183");
        await Assertions.Expect(page.GetByLabel("SCIM API")).Not.ToBeCheckedAsync();

        await page.GotoAsync("/tokens?generate=1");
        await Assertions.Expect(page.GetByText("At most 183 days.")).ToBeVisibleAsync();
        var apis = await page.GetByLabel("API", new() { Exact = true }).Locator("option").AllTextContentsAsync();
        Assert.DoesNotContain("SCIM API", apis);

        var garbled = await page.GotoAsync("/audit?page=abc&action=nope");
        Assert.Equal(200, garbled!.Status);
        await page.GotoAsync("/audit");
        var newest = page.GetByRole(AriaRole.Row).Nth(1);
        await Assertions.Expect(newest).ToContainTextAsync("settings.changed");
        await Assertions.Expect(newest).ToContainTextAsync("maxLifetimeDays 365 -> 183");
        await Assertions.Expect(newest).ToContainTextAsync("root@example.test");
    }

    [Fact]
    public async Task AReaderSeesThePolicyButCannotChangeItAndCannotReachTheInventory()
    {
        var reader = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "reader@example.test", PanelRoles.ReadOnly);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, reader, Factory.Time);

        await page.GotoAsync("/settings");
        await Assertions.Expect(page.GetByText("365 days")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save settings" })).ToHaveCountAsync(0);

        var response = await page.GotoAsync("/tokens/all");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByText("You do not have permission to see other users' tokens.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task NavigationOffersOnlyWhatTheUserMayOpen()
    {
        var tokenUser = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "plain@example.test");
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, tokenUser, Factory.Time);

        await page.GotoAsync("/tokens");
        var links = await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link).AllTextContentsAsync();
        Assert.Equal(["Access tokens"], links);
        await page.GotoAsync("/audit");
        Assert.Equal("/account/access-denied", new Uri(page.Url).AbsolutePath);
    }
}

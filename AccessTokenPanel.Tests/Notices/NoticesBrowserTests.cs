using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Notices;

/// <summary>Notices on the screens: the app bar's badge, the notices page, and the delivery log on Settings.</summary>
public sealed class NoticesBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    private WebhookReceiver _hook = null!;

    protected override PanelAppFactory CreateFactory() => new NoticeApp(webhook: _hook);

    private NoticeApp App => (NoticeApp)Factory;

    public override async Task InitializeAsync()
    {
        _hook = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _hook.DisposeAsync();
    }

    [Fact]
    public async Task TheOwnerSeesTheBadgeReadsTheNoticeAndTheAdministratorSeesItsDelivery()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(App.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var token = await App.IssueAsync(admin.Id, days: 60, name: "Deploy bot");
        App.MoveTo(token, TimeSpan.FromDays(6));
        await App.ScanAsync();
        Assert.Single(_hook.Requests);

        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, App.Time);
        await GotoInteractiveAsync(page, "/tokens");
        var bell = page.GetByRole(AriaRole.Link, new() { Name = "Notices, 1 unread" });
        await bell.ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath == "/notices");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Notices", Exact = true })).ToBeVisibleAsync();
        var list = page.GetByRole(AriaRole.List, new() { Name = "Your notices" });
        await Assertions.Expect(list.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Assertions.Expect(list).ToContainTextAsync("Access token 'Deploy bot' expires in 7 days");
        await Assertions.Expect(list).ToContainTextAsync(token.Hint);

        await page.GetByRole(AriaRole.Button, new() { Name = "Mark all as read" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("All read.");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Notices", Exact = true })).ToBeVisibleAsync();
        Assert.All(await App.NoticesAsync(), n => Assert.NotNull(n.ReadAt));

        await GotoInteractiveAsync(page, "/settings");
        var section = page.GetByRole(AriaRole.Region, new() { Name = "Expiry and leak notices" });
        await Assertions.Expect(section).ToContainTextAsync("Posted to " + _hook.Url);
        var row = section.GetByRole(AriaRole.Row).Nth(1);
        await Assertions.Expect(row).ToContainTextAsync("token.expiring · Deploy bot");
        await Assertions.Expect(row).ToContainTextAsync("Delivered");
    }

    [Fact]
    public async Task NoticesOfOneUserAreNotShownToAnother()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(App.Services, "owner@example.test");
        var other = await TestUsers.CreateEnrolledUserAsync(App.Services, "other@example.test", PanelRoles.SuperAdministrator);
        var token = await App.IssueAsync(owner.Id, days: 60, name: "Owner's token");
        App.MoveTo(token, TimeSpan.FromDays(20));
        await App.ScanAsync();

        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, other, App.Time);
        await GotoInteractiveAsync(page, "/notices");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No notices" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Notices", Exact = true })).ToBeVisibleAsync();
        Assert.All(await App.NoticesAsync(), n => Assert.Null(n.ReadAt));
    }
}

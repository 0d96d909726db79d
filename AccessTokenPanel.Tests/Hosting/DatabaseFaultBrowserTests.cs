using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AccessTokenPanel.Tests.Hosting;

/// <summary>
/// The database going away under an open admin page: the page says so (not Blazor's "reload" bar),
/// the circuit stays alive, and "Try again" works once the database is back.
/// </summary>
public sealed class DatabaseFaultBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    protected override PanelAppFactory CreateFactory() => new FaultyDatabaseAppFactory();

    private FaultyDatabaseAppFactory Faulty => (FaultyDatabaseAppFactory)Factory;

    [Fact]
    public async Task AnOpenPageSaysTheDatabaseIsNotReachableAndRecoversWhenItIsBack()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "circuit-fault@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);
        await GotoInteractiveAsync(page, "/tokens");

        using (Faulty.TakeFolderAway())
        {
            // Navigating inside the circuit loads the audit log from the database, which is gone.
            await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "The panel's database is not reachable" })).ToBeVisibleAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "The panel's database is not reachable" })).ToHaveCountAsync(0);
    }
}

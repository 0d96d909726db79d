using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AccessTokenPanel.Tests.Hosting;

/// <summary>
/// The database going away under an open admin page: the page says so (not Blazor's "reload" bar),
/// the circuit stays alive, and "Try again" works once the database is back.
/// </summary>
public sealed class DatabaseFaultBrowserTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly FaultyDatabaseAppFactory _factory = new();
    private Uri _baseAddress = default!;
    private IBrowserContext? _context;

    public Task InitializeAsync()
    {
        _baseAddress = _factory.StartKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task AnOpenPageSaysTheDatabaseIsNotReachableAndRecoversWhenItIsBack()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "circuit-fault@example.test", PanelRoles.SuperAdministrator);
        _context = await chromium.NewContextAsync(_baseAddress);
        var page = await _context.NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, _factory.Time);
        await BrowserTest.GotoInteractiveAsync(page, "/tokens");

        using (_factory.TakeFolderAway())
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

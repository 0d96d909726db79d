using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Account;

public sealed class BrowserSignInTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();
    private Uri _baseAddress = default!;

    public Task InitializeAsync()
    {
        _baseAddress = _factory.StartKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task EnrolledUserSignsInWithPasswordAndCodeAndReachesProtectedPages()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "alice@example.test", PanelRoles.SuperAdministrator);
        await using var context = await chromium.NewContextAsync(_baseAddress);
        var page = await context.NewPageAsync();

        await BrowserSignIn.SignInAsync(page, user, _factory.Time);

        // The enrollment page is protected: reaching it without a redirect to sign-in proves the cookie.
        await page.GotoAsync("/account/two-factor");
        Assert.Equal("/account/two-factor", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByText("already on for your account")).ToBeVisibleAsync();

        // A second sign-in in a fresh context works too (the helper never replays a time step).
        await using var second = await chromium.NewContextAsync(_baseAddress);
        var secondPage = await second.NewPageAsync();
        await BrowserSignIn.SignInAsync(secondPage, user, _factory.Time);
        await secondPage.GotoAsync("/account/two-factor");
        Assert.Equal("/account/two-factor", new Uri(secondPage.Url).AbsolutePath);
    }

    [Fact]
    public async Task SignInWorksWithJavaScriptDisabled()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "nojs@example.test", PanelRoles.ReadOnly);
        await using var context = await chromium.NewContextAsync(_baseAddress, javaScriptEnabled: false);
        var page = await context.NewPageAsync();

        await BrowserSignIn.SignInAsync(page, user, _factory.Time);

        await page.GotoAsync("/users");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignedOutVisitorIsSentToSignIn()
    {
        await using var context = await chromium.NewContextAsync(_baseAddress);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/account/two-factor");

        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }
}

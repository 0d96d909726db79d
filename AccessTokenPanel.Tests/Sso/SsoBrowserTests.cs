using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Sso;

/// <summary>
/// Single sign-on in Chromium against a real OpenID Provider (oidc-provider on Node): code flow with
/// PKCE, the provider's user matched to a panel user, and the panel's own code step after it.
/// </summary>
public sealed class SsoBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    private readonly OpenIdProvider _provider = OpenIdProvider.ReservePort();

    protected override PanelAppFactory CreateFactory()
    {
        var factory = new PanelAppFactory();
        factory.Settings["Sso:Authority"] = _provider.Issuer;
        factory.Settings["Sso:ClientId"] = OpenIdProvider.ClientId;
        factory.Settings["Sso:ClientSecret"] = OpenIdProvider.ClientSecret;
        factory.Settings["Sso:DisplayName"] = "Example Corp SSO";
        return factory;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await _provider.StartAsync(BaseAddress, new Dictionary<string, object>
        {
            ["ada-subject"] = new { email = "someone-else@example.test", email_verified = true },
            ["grace-subject"] = new { email = "grace@example.test", email_verified = true },
            ["mallory-subject"] = new { email = "linus@example.test", email_verified = false },
        });
    }

    [Fact]
    public async Task AUserMatchedBySubjectSignsInWithTheProviderAndThenThePanelsCode()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "ada@example.test", PanelRoles.ReadOnly);
        await SetExternalIdAsync(user.Id, "ada-subject");
        var page = await NewPageAsync();

        await SignInAtProviderAsync(page, "ada-subject");

        await page.GetByLabel("Authentication code", new() { Exact = true }).WaitForAsync();
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/account", StringComparison.Ordinal));

        await page.GotoAsync("/account/sessions");
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Active sessions" }))
            .ToContainTextAsync("with single sign-on and authentication code");
        var method = await Factory.WithDbAsync(db => db.UserSessions.Where(s => s.UserId == user.Id && s.Stage == SessionStage.SignedIn)
            .Select(s => s.SignInMethod).SingleAsync());
        Assert.Equal(SignInMethods.SsoAndCode, method);
    }

    [Fact]
    public async Task AUserMatchedByVerifiedEmailSignsIn()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "grace@example.test", PanelRoles.ReadOnly);
        var page = await NewPageAsync();

        await SignInAtProviderAsync(page, "grace-subject");

        await page.GetByLabel("Authentication code", new() { Exact = true }).WaitForAsync();
        Assert.Equal("/account/login/two-factor", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task AnUnverifiedEmailOrAnUnknownUserIsRefusedWithAClearPage()
    {
        await TestUsers.CreateEnrolledUserAsync(Factory.Services, "linus@example.test", PanelRoles.ReadOnly);
        var page = await NewPageAsync();

        await SignInAtProviderAsync(page, "mallory-subject");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You were not signed in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no user of this panel is you");
        Assert.Equal(0, await Factory.WithDbAsync(db => db.UserSessions.CountAsync(s => s.Stage == SessionStage.SignedIn)));
        Assert.Equal(1, await Factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.SignInFailed && e.Details.Contains("single sign-on"))));
    }

    [Fact]
    public async Task ADisabledUserIsRefused()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "ada@example.test", PanelRoles.ReadOnly);
        await SetExternalIdAsync(user.Id, "ada-subject", disabled: true);
        var page = await NewPageAsync();

        await SignInAtProviderAsync(page, "ada-subject");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your panel account is disabled");
    }

    /// <summary>The sign-in page's button, then the provider's development login and consent pages.</summary>
    private async Task SignInAtProviderAsync(IPage page, string subject)
    {
        await page.GotoAsync("/account/login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Example Corp SSO" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).Port == _provider.Port);
        await page.Locator("input[name=login]").FillAsync(subject);
        await page.Locator("input[name=password]").FillAsync("any password");
        await page.Locator("button[type=submit]").ClickAsync();
        // The consent page ("Continue"), until the browser is back at the panel.
        while (true)
        {
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            if (new Uri(page.Url).Port != _provider.Port)
            {
                break;
            }
            await page.Locator("button[type=submit]").First.ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).Port != _provider.Port || new Uri(url).AbsolutePath != new Uri(page.Url).AbsolutePath);
        }
    }

    private async Task SetExternalIdAsync(string userId, string externalId, bool disabled = false)
    {
        await using var scope = Factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        user.ExternalId = externalId;
        user.IsDisabled = disabled;
        Assert.True((await users.UpdateAsync(user)).Succeeded);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _provider.DisposeAsync();
    }
}

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
            ["mfa-subject"] = new { email = "mfa@example.test", email_verified = true, amr = new[] { "pwd", "mfa" } },
            ["new-subject"] = new { email = "new@example.test", email_verified = true },
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
        await page.WaitForAddressAsync(url => !url.AbsolutePath.StartsWith("/account", StringComparison.Ordinal));

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

    [Fact]
    public async Task TheProvidersSecondFactorIsNotTrustedUnlessConfigured()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "mfa@example.test", PanelRoles.ReadOnly);
        await SetExternalIdAsync(user.Id, "mfa-subject");
        var page = await NewPageAsync();

        await SignInAtProviderAsync(page, "mfa-subject");

        // amr says mfa, but Sso:TrustProviderMfa is off: the panel's code step still comes.
        await page.GetByLabel("Authentication code", new() { Exact = true }).WaitForAsync();
        Assert.Equal("/account/login/two-factor", new Uri(page.Url).AbsolutePath);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.UserSessions.CountAsync(s => s.Stage == SessionStage.SignedIn)));
    }

    [Fact]
    public async Task AnUnmatchedUserIsNotCreatedWhileCreateUsersIsOff()
    {
        var page = await NewPageAsync();

        await SignInAtProviderAsync(page, "new-subject");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You were not signed in" })).ToBeVisibleAsync();
        Assert.Equal(0, await Factory.WithDbAsync(db => db.Users.CountAsync(u => u.Email == "new@example.test")));
    }

    private Task SignInAtProviderAsync(IPage page, string subject) => SsoBrowser.SignInAtProviderAsync(page, _provider, subject);

    private Task SetExternalIdAsync(string userId, string externalId, bool disabled = false) =>
        SsoBrowser.SetExternalIdAsync(Factory, userId, externalId, disabled);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _provider.DisposeAsync();
    }
}

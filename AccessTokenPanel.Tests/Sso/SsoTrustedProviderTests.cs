using System.Net;
using System.Security.Cryptography;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Authentication.Sso;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Sso;

/// <summary>
/// Single sign-on with the operator's settings on (Sso:TrustProviderMfa, Sso:CreateUsers with Read
/// Only, Sso:Only with a break-glass administrator) and the provider's logout, against the real
/// oidc-provider in Chromium: its ID tokens' amr, its back-channel logout tokens, its end-session page.
/// </summary>
public sealed class SsoTrustedProviderTests(Chromium chromium) : BrowserTest(chromium)
{
    private const string BreakGlassEmail = "root@example.test";
    private readonly OpenIdProvider _provider = OpenIdProvider.ReservePort();

    protected override PanelAppFactory CreateFactory()
    {
        var factory = new PanelAppFactory();
        factory.Settings["Sso:Authority"] = _provider.Issuer;
        factory.Settings["Sso:ClientId"] = OpenIdProvider.ClientId;
        factory.Settings["Sso:ClientSecret"] = OpenIdProvider.ClientSecret;
        factory.Settings["Sso:DisplayName"] = "Example Corp SSO";
        factory.Settings["Sso:TrustProviderMfa"] = "true";
        factory.Settings["Sso:CreateUsers"] = "true";
        factory.Settings["Sso:NewUserRole"] = PanelRoles.ReadOnly;
        factory.Settings["Sso:Only"] = "true";
        factory.Settings["Sso:BreakGlassEmail"] = BreakGlassEmail;
        return factory;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await _provider.StartAsync(BaseAddress, new Dictionary<string, object>
        {
            ["mfa-subject"] = new { email = "mfa@example.test", email_verified = true, amr = new[] { "pwd", "mfa" } },
            ["pwd-subject"] = new { email = "pwd@example.test", email_verified = true, amr = new[] { "pwd" } },
            ["new-subject"] = new { email = "new@example.test", email_verified = true, name = "New Person" },
            ["unverified-subject"] = new { email = "unverified@example.test", email_verified = false },
        });
    }

    [Fact]
    public async Task TheProvidersSecondFactorIsTrustedWhenConfiguredAndTheSessionKnowsTheProviderSession()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "mfa@example.test", PanelRoles.ReadOnly);
        await SsoBrowser.SetExternalIdAsync(Factory, user.Id, "mfa-subject");
        var page = await NewPageAsync();

        await SsoBrowser.SignInAtProviderAsync(page, _provider, "mfa-subject");

        // No code step: amr names mfa and the operator trusts it.
        Assert.False(new Uri(page.Url).AbsolutePath.StartsWith("/account", StringComparison.Ordinal), page.Url);
        var session = await Factory.WithDbAsync(db => db.UserSessions.SingleAsync(s => s.UserId == user.Id && s.Stage == SessionStage.SignedIn));
        Assert.Equal(SignInMethods.SsoWithProviderMfa, session.SignInMethod);
        Assert.Equal("mfa-subject", session.ProviderSubject);
        Assert.False(string.IsNullOrEmpty(session.ProviderSessionId));

        // Signing out of the panel ends the panel session.
        await page.GotoAsync("/account/sessions");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath == "/account/login");
        Assert.NotNull(await Factory.WithDbAsync(db => db.UserSessions.Where(s => s.Id == session.Id).Select(s => s.EndedAt).SingleAsync()));
    }

    [Fact]
    public async Task WithoutASecondFactorInAmrThePanelsCodeIsStillAskedAndItsSessionKnowsTheProvider()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "pwd@example.test", PanelRoles.ReadOnly);
        await SsoBrowser.SetExternalIdAsync(Factory, user.Id, "pwd-subject");
        var page = await NewPageAsync();

        await SsoBrowser.SignInAtProviderAsync(page, _provider, "pwd-subject");

        await page.GetByLabel("Authentication code", new() { Exact = true }).WaitForAsync();
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync(url => !url.AbsolutePath.StartsWith("/account", StringComparison.Ordinal));
        var session = await Factory.WithDbAsync(db => db.UserSessions.SingleAsync(s => s.UserId == user.Id && s.Stage == SessionStage.SignedIn));
        Assert.Equal(SignInMethods.SsoAndCode, session.SignInMethod);
        Assert.Equal("pwd-subject", session.ProviderSubject);
        Assert.False(string.IsNullOrEmpty(session.ProviderSessionId));
    }

    [Fact]
    public async Task SigningOutAtTheProviderEndsThePanelSessionThroughBackChannelLogout()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "mfa@example.test", PanelRoles.ReadOnly);
        await SsoBrowser.SetExternalIdAsync(Factory, user.Id, "mfa-subject");
        var page = await NewPageAsync();
        await SsoBrowser.SignInAtProviderAsync(page, _provider, "mfa-subject");
        await page.GotoAsync("/account/sessions");
        Assert.Equal("/account/sessions", new Uri(page.Url).AbsolutePath);

        // The provider's own end-session page: it posts a signed logout token to the panel before it answers.
        await page.GotoAsync($"{_provider.Issuer}/session/end");
        await page.Locator("button[type=submit]").First.ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath.StartsWith("/session/end/success", StringComparison.Ordinal));

        Assert.True(0 == await Factory.WithDbAsync(db => db.UserSessions.CountAsync(s => s.UserId == user.Id && s.EndedAt == null)),
            _provider.ErrorOutput + string.Join("\n", Factory.Logs.Lines.Where(l => l.Contains("logout", StringComparison.OrdinalIgnoreCase))));
        await page.GotoAsync(new Uri(BaseAddress, "/account/sessions").ToString());
        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);
        Assert.Contains(await Factory.WithDbAsync(db => db.AuditEntries.Where(e => e.SubjectId == user.Id).Select(e => e.Details).ToListAsync()),
            d => d.Contains("back-channel logout"));
    }

    [Fact]
    public async Task ALogoutTokenEndsSessionsOnlyWhenItIsTheProvidersAndForThePanel()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "ada@example.test", PanelRoles.ReadOnly);
        var sessionId = await StartSsoSessionAsync(user.Id, "ada-subject", "sid-1");
        var otherSession = await StartSsoSessionAsync(user.Id, "ada-subject", "sid-2");
        using var http = new HttpClient { BaseAddress = BaseAddress };

        var other = RSA.Create(2048);
        var refused = new (string Why, string Token)[]
        {
            ("signed by another key", LogoutToken(new() { ["sid"] = "sid-1" }, key: new RsaSecurityKey(other) { KeyId = OpenIdProvider.SigningKeyId })),
            ("another audience", LogoutToken(new() { ["sid"] = "sid-1" }, audience: "another-client")),
            ("another issuer", LogoutToken(new() { ["sid"] = "sid-1" }, issuer: "http://127.0.0.1:1")),
            ("no logout event", LogoutToken(new() { ["sid"] = "sid-1" }, withEvent: false)),
            ("a nonce (an ID token)", LogoutToken(new() { ["sid"] = "sid-1", ["nonce"] = "n" })),
            ("neither sid nor sub", LogoutToken([], withSubject: false)),
            ("issued an hour ago", LogoutToken(new() { ["sid"] = "sid-1" }, issuedAt: DateTime.UtcNow.AddHours(-1))),
            ("not a JWT", "not-a-jwt"),
        };
        foreach (var (why, token) in refused)
        {
            using var answer = await http.PostAsync("/account/sso/backchannel-logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["logout_token"] = token }));
            Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, $"{why}: {answer.StatusCode}");
            Assert.Contains("invalid_request", await answer.Content.ReadAsStringAsync());
        }
        Assert.Equal(2, await ActiveAsync(user.Id));

        using (var ended = await http.PostAsync("/account/sso/backchannel-logout",
                   new FormUrlEncodedContent(new Dictionary<string, string> { ["logout_token"] = LogoutToken(new() { ["sid"] = "sid-1" }) })))
        {
            Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        }
        Assert.Equal([otherSession], await Factory.WithDbAsync(db => db.UserSessions.Where(s => s.UserId == user.Id && s.EndedAt == null).Select(s => s.Id).ToListAsync()));
        Assert.DoesNotContain(sessionId, await Factory.WithDbAsync(db => db.UserSessions.Where(s => s.EndedAt == null).Select(s => s.Id).ToListAsync()));

        // By sub alone: every session of that provider user.
        using (var bySubject = await http.PostAsync("/account/sso/backchannel-logout",
                   new FormUrlEncodedContent(new Dictionary<string, string> { ["logout_token"] = LogoutToken([]) })))
        {
            Assert.Equal(HttpStatusCode.OK, bySubject.StatusCode);
        }
        Assert.Equal(0, await ActiveAsync(user.Id));
    }

    [Fact]
    public async Task FrontChannelLogoutEndsTheSessionsOfThatProviderSessionOnly()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "ada@example.test", PanelRoles.ReadOnly);
        await StartSsoSessionAsync(user.Id, "ada-subject", "sid-1");
        await StartSsoSessionAsync(user.Id, "ada-subject", "sid-2");
        using var http = new HttpClient { BaseAddress = BaseAddress };

        using (var wrongIssuer = await http.GetAsync($"/account/sso/frontchannel-logout?iss={Uri.EscapeDataString("http://127.0.0.1:1")}&sid=sid-1"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongIssuer.StatusCode);
        }
        using (var noSid = await http.GetAsync($"/account/sso/frontchannel-logout?iss={Uri.EscapeDataString(_provider.Issuer)}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noSid.StatusCode);
        }
        Assert.Equal(2, await ActiveAsync(user.Id));

        using var ended = await http.GetAsync($"/account/sso/frontchannel-logout?iss={Uri.EscapeDataString(_provider.Issuer)}&sid=sid-1");
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(1, await ActiveAsync(user.Id));
    }

    [Fact]
    public async Task CreateUsersMakesAnUnmatchedVerifiedUserWithTheConfiguredRoleWhoEnrollsFirst()
    {
        var page = await NewPageAsync();

        await SsoBrowser.SignInAtProviderAsync(page, _provider, "new-subject");

        await page.WaitForAddressAsync(url => url.AbsolutePath == "/account/two-factor");
        await using var scope = Factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var created = await users.Users.SingleAsync(u => u.Email == "new@example.test");
        Assert.Equal("new-subject", created.ExternalId);
        Assert.Equal("New Person", created.DisplayName);
        Assert.Equal([PanelRoles.ReadOnly], await users.GetRolesAsync(created));
        Assert.False(await users.HasPasswordAsync(created));
        Assert.Contains(await Factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.UserCreated).Select(e => e.Details).ToListAsync()),
            d => d.Contains("first single sign-on"));

        // An unverified email makes nobody.
        var other = await NewPageAsync();
        await SsoBrowser.SignInAtProviderAsync(other, _provider, "unverified-subject");
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Name = "You were not signed in" })).ToBeVisibleAsync();
        Assert.Equal(0, await users.Users.CountAsync(u => u.Email == "unverified@example.test"));
    }

    [Fact]
    public async Task SsoOnlyRefusesAPasswordButLetsTheBreakGlassAdministratorIn()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "ada@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(user.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("turned off here. Use Sign in with Example Corp SSO");
        Assert.Equal(0, await Factory.WithDbAsync(db => db.UserSessions.CountAsync(s => s.UserId == user.Id)));

        // An unknown email reads the same (who has an account is not told).
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("nobody@example.test");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("whatever-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("turned off here");

        var root = await TestUsers.CreateEnrolledUserAsync(Factory.Services, BreakGlassEmail, PanelRoles.SuperAdministrator);
        var rootPage = await NewPageAsync();
        await BrowserSignIn.SignInAsync(rootPage, root, Factory.Time);
        Assert.Equal(1, await Factory.WithDbAsync(db => db.UserSessions.CountAsync(s => s.UserId == root.Id && s.Stage == SessionStage.SignedIn)));
    }

    private async Task<string> StartSsoSessionAsync(string userId, string subject, string sid)
    {
        await using var scope = Factory.Scope();
        return await scope.ServiceProvider.GetRequiredService<SessionRegistry>()
            .StartAsync(userId, SessionStage.SignedIn, "127.0.0.1", SignInMethods.SsoWithProviderMfa, new ProviderSession(subject, sid));
    }

    private Task<int> ActiveAsync(string userId) => Factory.WithDbAsync(db => db.UserSessions.CountAsync(s => s.UserId == userId && s.EndedAt == null));

    /// <summary>A logout token as the provider signs them (its key), with the given claims and deviations.</summary>
    private string LogoutToken(Dictionary<string, object> claims, SecurityKey? key = null, string? audience = null, string? issuer = null,
        bool withEvent = true, bool withSubject = true, DateTime? issuedAt = null)
    {
        var payload = new Dictionary<string, object>(claims) { ["jti"] = Guid.NewGuid().ToString("N") };
        if (withSubject)
        {
            payload["sub"] = "ada-subject";
        }
        if (withEvent)
        {
            payload["events"] = new Dictionary<string, object> { [SsoLogout.BackChannelLogoutEvent] = new Dictionary<string, object>() };
        }
        var iat = issuedAt ?? DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? _provider.Issuer,
            Audience = audience ?? OpenIdProvider.ClientId,
            IssuedAt = iat,
            Expires = iat.AddMinutes(2),
            Claims = payload,
            TokenType = "logout+jwt",
            SigningCredentials = new SigningCredentials(key ?? new RsaSecurityKey(_provider.SigningKey) { KeyId = OpenIdProvider.SigningKeyId },
                SecurityAlgorithms.RsaSha256),
        });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _provider.DisposeAsync();
    }
}

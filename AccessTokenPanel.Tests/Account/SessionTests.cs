using System.Net;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Account;
using Microsoft.EntityFrameworkCore;
using static AccessTokenPanel.Tests.Account.AccountHttp;

namespace AccessTokenPanel.Tests.Account;

/// <summary>Sign-out ends the session on the server: a copy of the cookie taken before is refused.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private const string AuthCookie = "AccessTokenPanel.Auth";
    private const string TwoFactorCookie = "AccessTokenPanel.TwoFactor";
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>Signs in through the forms and returns the client and a copy of its sign-in cookie.</summary>
    private async Task<(FormClient Client, string Cookie)> SignInCopyingCookieAsync(TestUser user)
    {
        var client = new FormClient(_factory);
        Assert.Equal(HttpStatusCode.Redirect, (await PasswordStepAsync(client, user.Email, user.Password)).StatusCode);
        _factory.Time.Advance(TimeSpan.FromSeconds(30));
        var code = await CodeStepAsync(client, user.CodeAt(_factory.Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        return (client, RawCookies.SetBy(code)[AuthCookie]);
    }

    private async Task<HttpStatusCode> TokensPageWithAsync(string authCookie)
    {
        using var replay = new RawCookies(_factory);
        replay.Jar[AuthCookie] = authCookie;
        return (await replay.GetAsync("/tokens")).StatusCode;
    }

    [Fact]
    public async Task CookieFromBeforeSignOutNoLongerOpensTokens()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "signout@example.test");
        var (client, cookie) = await SignInCopyingCookieAsync(user);
        using var _ = client;
        Assert.Equal(HttpStatusCode.OK, await TokensPageWithAsync(cookie));

        // The static "Your sessions" page carries the same forms as the account menu of the interactive pages.
        var sessionsPage = await client.GetDocumentAsync(AccountPaths.Sessions);
        var signOut = await client.SubmitAsync(sessionsPage, AccountPaths.Sessions, Field("returnUrl", "/"));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, await TokensPageWithAsync(cookie));
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.SignedOut && e.SubjectId == user.Id)));
    }

    [Fact]
    public async Task SignOutEverywhereEndsTheUsersOtherBrowsers()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "everywhere@example.test");
        var (laptop, laptopCookie) = await SignInCopyingCookieAsync(user);
        var (phone, phoneCookie) = await SignInCopyingCookieAsync(user);
        using var _ = laptop;
        using var __ = phone;

        var document = await laptop.GetDocumentAsync(AccountPaths.Sessions);
        Assert.Equal(2, document.QuerySelectorAll(".session-list li").Length);
        var form = document.Forms.Single(f => f.Action.EndsWith("/account/logout-everywhere"));
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var everywhere = await laptop.Http.PostAsync("/account/logout-everywhere",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["returnUrl"] = "/" }));

        Assert.Equal(HttpStatusCode.Redirect, everywhere.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await TokensPageWithAsync(phoneCookie));
        Assert.Equal(HttpStatusCode.Redirect, await TokensPageWithAsync(laptopCookie));
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/tokens")).StatusCode);
    }

    [Fact]
    public async Task UserAdministratorEndsTheSessionsOfALowerRankedUserButNotOfASuperAdministrator()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "useradmin@example.test", PanelRoles.UserAdministrator);
        var reader = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "reader@example.test", PanelRoles.ReadOnly);
        var root = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var (adminClient, adminCookie) = await SignInCopyingCookieAsync(admin);
        var (readerClient, readerCookie) = await SignInCopyingCookieAsync(reader);
        var (rootClient, rootCookie) = await SignInCopyingCookieAsync(root);
        using var _ = adminClient;
        using var __ = readerClient;
        using var ___ = rootClient;
        using var adminRaw = new RawCookies(_factory);
        adminRaw.Jar[AuthCookie] = adminCookie;

        var refused = await adminRaw.PostFormAsync($"/account/users/{root.Id}/logout-everywhere", AccountPaths.Sessions, Field("returnUrl", "/users"));
        var ended = await adminRaw.PostFormAsync($"/account/users/{reader.Id}/logout-everywhere", AccountPaths.Sessions, Field("returnUrl", "/users"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await TokensPageWithAsync(rootCookie));
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await TokensPageWithAsync(readerCookie));
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.SessionsEnded && e.SubjectId == reader.Id && e.ActorId == admin.Id)));
    }

    [Fact]
    public async Task TwoFactorCookieReplayedAfterACompletedSignInDoesNotSignInAgain()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "replay-2fa@example.test");
        using var client = new FormClient(_factory);
        var password = await PasswordStepAsync(client, user.Email, user.Password);
        var twoFactor = RawCookies.SetBy(password)[TwoFactorCookie];
        _factory.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Redirect, (await CodeStepAsync(client, user.CodeAt(_factory.Time.GetUtcNow()))).StatusCode);

        _factory.Time.Advance(TimeSpan.FromSeconds(30));
        using var attacker = new RawCookies(_factory);
        attacker.Jar[TwoFactorCookie] = twoFactor;
        var replay = await attacker.PostFormAsync("/account/login/two-factor", "/account/login", new Dictionary<string, string>
        {
            ["_handler"] = "login-two-factor",
            ["Input.Code"] = user.CodeAt(_factory.Time.GetUtcNow()),
        });

        Assert.False(RawCookies.SetBy(replay).TryGetValue(AuthCookie, out var issued) && issued.Length > 0, "The replayed two-factor cookie signed in again.");
        Assert.False(attacker.Jar.ContainsKey(AuthCookie));
        Assert.Equal(HttpStatusCode.Redirect, (await attacker.GetAsync("/tokens")).StatusCode);
    }

    [Fact]
    public async Task TwoFactorCookieExpiresAfterFiveMinutesOnTheServer()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "slow-2fa@example.test");
        using var client = new FormClient(_factory);
        await PasswordStepAsync(client, user.Email, user.Password);

        _factory.Time.Advance(TimeSpan.FromMinutes(6));
        var page = await client.GetAsync("/account/login/two-factor");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", FormClient.LocationOf(page));
    }
}

using System.Net;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static AccessTokenPanel.Tests.Account.AccountHttp;

namespace AccessTokenPanel.Tests.Account;

public sealed class SignInSecurityTests : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountForFifteenMinutes()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "lock@example.test");
        using var client = new FormClient(_factory);
        for (var i = 0; i < 5; i++)
        {
            await PasswordStepAsync(client, user.Email, "wrong-password-" + i);
        }

        var right = await PasswordStepAsync(client, user.Email, user.Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked after too many failed attempts", await right.Content.ReadAsStringAsync());
        // Identity's lockout reads the wall clock (it has no TimeProvider), so the end is checked against it.
        var lockoutEnd = (await FindAsync(_factory, user.Email)).LockoutEnd!.Value;
        Assert.InRange(lockoutEnd - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));
    }

    [Fact]
    public async Task WrongAuthenticationCodesCountTowardLockout()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "codes@example.test");
        using var client = new FormClient(_factory);
        await PasswordStepAsync(client, user.Email, user.Password);
        for (var i = 0; i < 4; i++)
        {
            var wrong = await CodeStepAsync(client, "000000");
            Assert.Contains("That code is not valid", await wrong.Content.ReadAsStringAsync());
        }

        var fifth = await CodeStepAsync(client, "000000");
        Assert.Contains("locked after too many failed attempts", await fifth.Content.ReadAsStringAsync());
        var right = await CodeStepAsync(client, user.CodeAt(_factory.Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/users")).StatusCode);
    }

    [Fact]
    public async Task CodeUsedToSignInIsRefusedForStepUpAndForAnotherSignIn()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "replay@example.test", PanelRoles.SuperAdministrator);
        var code = user.CodeAt(_factory.Time.GetUtcNow());
        using var client = new FormClient(_factory);
        await PasswordStepAsync(client, user.Email, user.Password);
        Assert.Equal(HttpStatusCode.Redirect, (await CodeStepAsync(client, code)).StatusCode);

        await using (var scope = _factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            Assert.Equal(StepUpResult.ReplayedCode, await scope.ServiceProvider.VerifyStepUpAsync((await users.FindByIdAsync(user.Id))!, code));
        }

        using var other = new FormClient(_factory);
        await PasswordStepAsync(other, user.Email, user.Password);
        var replay = await CodeStepAsync(other, code);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("That code is not valid", await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CodeUsedForStepUpIsRefusedAtSignIn()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "stepup@example.test");
        var code = user.CodeAt(_factory.Time.GetUtcNow());
        await using (var scope = _factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            Assert.Equal(StepUpResult.Verified, await scope.ServiceProvider.VerifyStepUpAsync((await users.FindByIdAsync(user.Id))!, code));
        }
        using var client = new FormClient(_factory);
        await PasswordStepAsync(client, user.Email, user.Password);

        Assert.Equal(HttpStatusCode.OK, (await CodeStepAsync(client, code)).StatusCode);
    }

    [Fact]
    public async Task RecoveryCodeSignsInOnceOnly()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "recover@example.test", PanelRoles.SuperAdministrator);
        string recoveryCode;
        await using (var scope = _factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            recoveryCode = (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(user.Id))!, 10))!.First();
        }

        using var first = new FormClient(_factory);
        await PasswordStepAsync(first, user.Email, user.Password);
        var used = await first.SubmitAsync("/account/login/recovery", Field("Input.Code", recoveryCode));
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/users")).StatusCode);

        using var second = new FormClient(_factory);
        await PasswordStepAsync(second, user.Email, user.Password);
        var reused = await second.SubmitAsync("/account/login/recovery", Field("Input.Code", recoveryCode));
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("not valid or has already been used", await reused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/users")).StatusCode);
    }

    [Fact]
    public async Task WrongRecoveryCodesCountTowardLockout()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "guess@example.test");
        using var client = new FormClient(_factory);
        await PasswordStepAsync(client, user.Email, user.Password);
        for (var i = 0; i < 4; i++)
        {
            var wrong = await client.SubmitAsync("/account/login/recovery", Field("Input.Code", $"WRONG-{i}"));
            Assert.Contains("not valid or has already been used", await wrong.Content.ReadAsStringAsync());
        }

        var fifth = await client.SubmitAsync("/account/login/recovery", Field("Input.Code", "WRONG-5"));

        Assert.Contains("locked after too many failed attempts", await fifth.Content.ReadAsStringAsync());
        Assert.NotNull((await FindAsync(_factory, user.Email)).LockoutEnd);
    }

    [Fact]
    public async Task DisabledUsersCookieStopsWorkingOnTheNextRequest()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "gone@example.test", PanelRoles.SuperAdministrator);
        using var client = new FormClient(_factory);
        await SignInAsync(client, user, _factory.Time);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/users")).StatusCode);

        // Only the flag, straight in the database (as SCIM or another admin would leave it): the
        // per-request check must notice even without a security-stamp change.
        await _factory.WithDbAsync(async db =>
        {
            var row = db.Users.Single(u => u.Id == user.Id);
            row.IsDisabled = true;
            return await db.SaveChangesAsync();
        });

        var next = await client.GetAsync("/users");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/account/login", FormClient.LocationOf(next));
    }

    [Fact]
    public async Task DisabledUserCannotSignIn()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "off@example.test");
        await _factory.WithDbAsync(async db =>
        {
            db.Users.Single(u => u.Id == user.Id).IsDisabled = true;
            return await db.SaveChangesAsync();
        });
        using var client = new FormClient(_factory);

        var right = await PasswordStepAsync(client, user.Email, user.Password);
        Assert.Contains("This account is disabled", await right.Content.ReadAsStringAsync());
        // A wrong password does not reveal that the account exists and is disabled.
        var wrong = await PasswordStepAsync(client, user.Email, "not-the-password");
        Assert.Contains("Invalid email or password.", await wrong.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignOutEndsTheSession()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "bye@example.test", PanelRoles.SuperAdministrator);
        using var client = new FormClient(_factory);
        await SignInAsync(client, user, _factory.Time);

        // The sign-out form on the enrollment page is a plain POST with an antiforgery token.
        var page = await CreateUnenrolledAndGetSignOutFormAsync(client);
        var signOut = await client.SubmitAsync(page, "/account/two-factor", Field("returnUrl", "/"));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/users")).StatusCode);
    }

    [Fact]
    public async Task SignOutIsNotReachableWithAGet()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "get@example.test", PanelRoles.ReadOnly);
        using var client = new FormClient(_factory);
        await SignInAsync(client, user, _factory.Time);

        var get = await client.GetAsync("/account/logout");

        Assert.NotEqual(HttpStatusCode.Redirect, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/users")).StatusCode);
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> CreateUnenrolledAndGetSignOutFormAsync(FormClient client)
    {
        // An enrolled user's enrollment page has no sign-out form, so build the post by hand with
        // the antiforgery token a page of this session carries.
        var document = await client.GetDocumentAsync("/account/login");
        var token = document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value");
        return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(
            $"<form method=post action=/account/logout><input type=hidden name=__RequestVerificationToken value=\"{token}\"><input name=returnUrl></form>");
    }
}

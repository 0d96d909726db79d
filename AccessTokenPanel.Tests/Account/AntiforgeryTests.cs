using System.Net;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using static AccessTokenPanel.Tests.Account.AccountHttp;

namespace AccessTokenPanel.Tests.Account;

/// <summary>Every POST form of sign-in, setup and user management refuses a post without the page's antiforgery token.</summary>
public sealed class AntiforgeryTests : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static async Task AssertRefusedAsync(Task<HttpResponseMessage> post)
    {
        var response = await post;
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task FirstRunSetupFormNeedsTheToken()
    {
        using var client = new FormClient(_factory);
        var path = SetupPathFromLog(_factory);

        await AssertRefusedAsync(client.SubmitAsync(path, new Dictionary<string, string>
        {
            ["Input.Email"] = "first@example.test",
            ["Input.Password"] = TestUsers.DefaultPassword,
            ["Input.ConfirmPassword"] = TestUsers.DefaultPassword,
        }, withAntiforgery: false));
    }

    [Fact]
    public async Task SignInFormsNeedTheToken()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "af@example.test");
        using var client = new FormClient(_factory);

        await AssertRefusedAsync(client.SubmitAsync("/account/login",
            new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password }, withAntiforgery: false));

        await PasswordStepAsync(client, user.Email, user.Password);
        await AssertRefusedAsync(client.SubmitAsync("/account/login/two-factor",
            Field("Input.Code", user.CodeAt(_factory.Time.GetUtcNow())), withAntiforgery: false));
        await AssertRefusedAsync(client.SubmitAsync("/account/login/recovery", Field("Input.Code", "abcde-fghij"), withAntiforgery: false));
    }

    [Fact]
    public async Task EnrollmentAndSignOutFormsNeedTheToken()
    {
        await CreateUnenrolledUserAsync(_factory, "enrol-af@example.test");
        using var client = new FormClient(_factory);
        await PasswordStepAsync(client, "enrol-af@example.test", TestUsers.DefaultPassword);

        await AssertRefusedAsync(client.SubmitAsync("/account/two-factor", Field("Input.Code", "123456"), withAntiforgery: false));
        await AssertRefusedAsync(client.SubmitAsync("/account/two-factor", Field("returnUrl", "/"), withAntiforgery: false));
        // Still signed in: the refused sign-out did nothing.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/two-factor")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/account/two-factor", Field("returnUrl", "/"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/account/two-factor")).StatusCode);
    }

    [Fact]
    public async Task UserManagementFormsNeedTheToken()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "admin-af@example.test", PanelRoles.SuperAdministrator);
        await TestUsers.CreateEnrolledUserAsync(_factory.Services, "target-af@example.test", PanelRoles.ReadOnly);
        using var client = new FormClient(_factory);
        await SignInAsync(client, admin, _factory.Time);

        // The Users page is interactive (no form handlers); a hand-made post to it is still refused.
        await AssertRefusedAsync(client.Http.PostAsync("/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "user-action",
            ["Change.Command"] = "disable:x",
        })));

        Assert.False((await FindAsync(_factory, "target-af@example.test")).IsDisabled);
    }
}

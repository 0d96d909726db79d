using System.Net;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static AccessTokenPanel.Tests.Account.AccountHttp;

namespace AccessTokenPanel.Tests.Account;

public sealed class SignInFlowTests : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task PasswordThenOathtoolCodeSignsIn()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "ann@example.test", PanelRoles.SuperAdministrator);
        using var client = new FormClient(_factory);

        var password = await PasswordStepAsync(client, user.Email, user.Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/account/login/two-factor", FormClient.LocationOf(password));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/users")).StatusCode);

        var code = await CodeStepAsync(client, user.CodeAt(_factory.Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/", FormClient.LocationOf(code));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/users")).StatusCode);
    }

    [Fact]
    public async Task WrongPasswordIsRefusedWithAClearMessage()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "ben@example.test");
        using var client = new FormClient(_factory);

        var response = await PasswordStepAsync(client, user.Email, "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid email or password.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UserWithoutAuthenticatorReachesOnlyEnrollment()
    {
        await using (var scope = _factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            var fresh = new PanelUser { UserName = "new@example.test", Email = "new@example.test", DisplayName = "New" };
            Assert.True((await users.CreateAsync(fresh, TestUsers.DefaultPassword)).Succeeded);
            Assert.True((await users.AddToRoleAsync(fresh, PanelRoles.SuperAdministrator)).Succeeded);
        }
        using var client = new FormClient(_factory);

        var signIn = await PasswordStepAsync(client, "new@example.test", TestUsers.DefaultPassword);
        Assert.Equal("/account/two-factor", FormClient.LocationOf(signIn));

        // Even a Super Administrator's permission does not open other pages before enrollment.
        var usersPage = await client.GetAsync("/users");
        Assert.Equal(HttpStatusCode.Redirect, usersPage.StatusCode);
        Assert.Equal("/account/two-factor", FormClient.LocationOf(usersPage));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/two-factor")).StatusCode);
    }

    [Fact]
    public async Task TwoFactorFlagWithoutAKeyDoesNotCountAsEnrolled()
    {
        var user = await CreateUnenrolledUserAsync(_factory, "flag-only@example.test", PanelRoles.SuperAdministrator);
        await using (var scope = _factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            Assert.True((await users.SetTwoFactorEnabledAsync((await users.FindByIdAsync(user.Id))!, true)).Succeeded);
        }
        using var client = new FormClient(_factory);

        // Identity signs such a user in on the password alone; the panel still demands enrollment.
        var signIn = await PasswordStepAsync(client, user.Email!, TestUsers.DefaultPassword);
        Assert.Equal("/account/two-factor", FormClient.LocationOf(signIn));
        Assert.Equal("/account/two-factor", FormClient.LocationOf(await client.GetAsync("/users")));
        Assert.Contains("Verification code", await (await client.GetAsync("/account/two-factor")).Content.ReadAsStringAsync());
    }
}

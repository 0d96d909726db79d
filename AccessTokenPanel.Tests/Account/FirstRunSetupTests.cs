using System.Net;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Account;

public sealed class FirstRunSetupTests : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static Dictionary<string, string> Administrator(string email) => new()
    {
        ["Input.Email"] = email,
        ["Input.Password"] = TestUsers.DefaultPassword,
        ["Input.ConfirmPassword"] = TestUsers.DefaultPassword,
    };

    [Fact]
    public async Task SetupUrlInTheLogCreatesTheFirstSuperAdministratorWhoMustEnroll()
    {
        using var client = new FormClient(_factory);
        var setupPath = AccountHttp.SetupPathFromLog(_factory);

        var created = await client.SubmitAsync(setupPath, Administrator("first@example.test"));

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/account/two-factor", FormClient.LocationOf(created));
        await using var scope = _factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = (await users.FindByEmailAsync("first@example.test"))!;
        Assert.Equal([PanelRoles.SuperAdministrator], await users.GetRolesAsync(user));
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.UserCreated && e.SubjectId == user.Id)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/two-factor")).StatusCode);
    }

    [Theory]
    [InlineData("/account/setup")]
    [InlineData("/account/setup?code=")]
    [InlineData("/account/setup?code=00000000000000000000000000000000")]
    public async Task WrongSetupCodeIsRefusedAndCreatesNobody(string path)
    {
        using var client = new FormClient(_factory);
        AccountHttp.SetupPathFromLog(_factory);

        var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("This setup link is not valid", await page.Content.ReadAsStringAsync());

        // Posting straight to it (with a token taken from a page with the right shape) creates nobody either.
        var post = await client.Http.PostAsync(path, new FormUrlEncodedContent(Administrator("intruder@example.test")));
        Assert.NotEqual(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task AfterTheFirstUserTheSetupPageIsNotFoundWhateverTheCode()
    {
        using var client = new FormClient(_factory);
        var setupPath = AccountHttp.SetupPathFromLog(_factory);
        await client.SubmitAsync(setupPath, Administrator("first@example.test"));

        using var anonymous = new FormClient(_factory);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(setupPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/account/setup?code=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(setupPath)).StatusCode);
        Assert.Equal(1, await _factory.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task NoSetupUrlIsLoggedWhenAUserExists()
    {
        await using (var first = new PanelAppFactory())
        {
            await TestUsers.CreateEnrolledUserAsync(first.Services, "exists@example.test");
            Assert.Contains("/account/setup?code=", first.Logs.AllText);
            // A second app over the same database file: a user exists, so it announces nothing.
            await using var second = new ReopenedFactory(first.DatabasePath);
            using var client = second.CreateClient();
            Assert.DoesNotContain("/account/setup?code=", second.Logs.AllText);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/account/setup?code=x")).StatusCode);
        }
    }

    private sealed class ReopenedFactory(string databasePath) : PanelAppFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Database:ConnectionString", $"Data Source={databasePath};Pooling=False");
        }
    }
}

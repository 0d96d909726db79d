using System.Net;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AccessTokenPanel.Tests.Account.AccountHttp;

namespace AccessTokenPanel.Tests.Users;

public sealed class UserManagementTests : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private async Task<FormClient> SignedInAsync(string email, string role)
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, email, role);
        var client = new FormClient(_factory);
        await SignInAsync(client, user, _factory.Time);
        return client;
    }

    private static Dictionary<string, string> NewUser(string email, string role, string password = TestUsers.DefaultPassword) => new()
    {
        ["Input.Email"] = email,
        ["Input.DisplayName"] = "Dana Example",
        ["Input.Role"] = role,
        ["Input.Password"] = password,
    };

    private static Task<HttpResponseMessage> ChangeAsync(FormClient client, string userId, string operation) =>
        client.SubmitAsync("/users", new Dictionary<string, string>(), ("Change.Command", $"{operation}:{userId}"));

    private Task<int> AuditCountAsync(string action, string subjectId) =>
        _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == action && e.SubjectId == subjectId));

    [Fact]
    public async Task SuperAdministratorCreatesAUserWhoSignsInAndMustEnroll()
    {
        using var admin = await SignedInAsync("root@example.test", PanelRoles.SuperAdministrator);

        var created = await admin.SubmitAsync("/users/new", NewUser("dana@example.test", PanelRoles.UserAdministrator));

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.StartsWith("/users?done=created", FormClient.LocationOf(created));
        var list = await (await admin.GetAsync(FormClient.LocationOf(created))).Content.ReadAsStringAsync();
        Assert.Contains("Created dana@example.test", list);
        var dana = await FindAsync(_factory, "dana@example.test");
        await using (var scope = _factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            Assert.Equal([PanelRoles.UserAdministrator], await users.GetRolesAsync(dana));
        }
        Assert.Equal(1, await AuditCountAsync(AuditActions.UserCreated, dana.Id));

        using var danaClient = new FormClient(_factory);
        var signIn = await PasswordStepAsync(danaClient, "dana@example.test", TestUsers.DefaultPassword);
        Assert.Equal("/account/two-factor", FormClient.LocationOf(signIn));
    }

    [Fact]
    public async Task CreateFormKeepsInputAndExplainsAWeakPasswordOrATakenEmail()
    {
        using var admin = await SignedInAsync("root@example.test", PanelRoles.SuperAdministrator);

        var weak = await admin.SubmitAsync("/users/new", NewUser("weak@example.test", PanelRoles.ReadOnly, "short"));
        var weakPage = await FormClient.ParseAsync(weak);
        Assert.Contains("at least 12 characters", weakPage.Body!.TextContent);
        Assert.Equal("weak@example.test", weakPage.QuerySelector("#user-email")!.GetAttribute("value"));

        var taken = await admin.SubmitAsync("/users/new", NewUser("root@example.test", PanelRoles.ReadOnly));
        Assert.Contains("is already taken", await taken.Content.ReadAsStringAsync());
        Assert.Null(await FindAsync(_factory, "weak@example.test"));
    }

    [Fact]
    public async Task UserAdministratorCannotCreateASuperAdministrator()
    {
        using var admin = await SignedInAsync("useradmin@example.test", PanelRoles.UserAdministrator);
        var form = await admin.GetDocumentAsync("/users/new");
        var offered = form.QuerySelectorAll("#user-role option").Select(o => o.GetAttribute("value")).ToList();
        Assert.DoesNotContain(PanelRoles.SuperAdministrator, offered);
        Assert.Contains(PanelRoles.ReadOnly, offered);

        var posted = await admin.SubmitAsync("/users/new", NewUser("sneaky@example.test", PanelRoles.SuperAdministrator));

        Assert.Contains("You cannot give the role Super Administrator", await posted.Content.ReadAsStringAsync());
        Assert.Null(await FindAsync(_factory, "sneaky@example.test"));
    }

    [Fact]
    public async Task DisablingEndsTheUsersSessionAndEnablingLetsThemBackIn()
    {
        using var admin = await SignedInAsync("root@example.test", PanelRoles.SuperAdministrator);
        var target = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "target@example.test", PanelRoles.ReadOnly);
        using var targetClient = new FormClient(_factory);
        await SignInAsync(targetClient, target, _factory.Time);
        Assert.Equal(HttpStatusCode.OK, (await targetClient.GetAsync("/users")).StatusCode);

        var disabled = await ChangeAsync(admin, target.Id, "disable");

        Assert.StartsWith("/users?done=disable", FormClient.LocationOf(disabled));
        Assert.True((await FindAsync(_factory, target.Email)).IsDisabled);
        Assert.Equal(HttpStatusCode.Redirect, (await targetClient.GetAsync("/users")).StatusCode);
        Assert.Equal(1, await AuditCountAsync(AuditActions.UserDisabled, target.Id));

        var enabled = await ChangeAsync(admin, target.Id, "enable");
        Assert.StartsWith("/users?done=enable", FormClient.LocationOf(enabled));
        Assert.Equal(1, await AuditCountAsync(AuditActions.UserEnabled, target.Id));
        using var again = new FormClient(_factory);
        await SignInAsync(again, target, _factory.Time);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/users")).StatusCode);
    }

    [Fact]
    public async Task ResettingTheSecondFactorMakesTheUserEnrollAgain()
    {
        using var admin = await SignedInAsync("root@example.test", PanelRoles.SuperAdministrator);
        var target = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "lost-phone@example.test", PanelRoles.ReadOnly);
        using var targetClient = new FormClient(_factory);
        await SignInAsync(targetClient, target, _factory.Time);

        var reset = await ChangeAsync(admin, target.Id, "reset-2fa");

        Assert.StartsWith("/users?done=reset-2fa", FormClient.LocationOf(reset));
        Assert.Equal(1, await AuditCountAsync(AuditActions.UserTwoFactorReset, target.Id));
        Assert.False((await FindAsync(_factory, target.Email)).TwoFactorEnabled);
        // The old session ended, and the old authenticator no longer signs in: enrollment is next.
        Assert.Equal(HttpStatusCode.Redirect, (await targetClient.GetAsync("/users")).StatusCode);
        using var fresh = new FormClient(_factory);
        var signIn = await PasswordStepAsync(fresh, target.Email, target.Password);
        Assert.Equal("/account/two-factor", FormClient.LocationOf(signIn));
        var page = await fresh.GetDocumentAsync("/account/two-factor");
        Assert.NotEqual(target.AuthenticatorKey, page.QuerySelector("#manual-key")!.TextContent.Replace(" ", ""));
    }

    [Fact]
    public async Task LockedOutUserIsShownAndResettingTheSecondFactorUnlocksThem()
    {
        using var admin = await SignedInAsync("root@example.test", PanelRoles.SuperAdministrator);
        var target = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "locked@example.test", PanelRoles.ReadOnly);
        using (var guesser = new FormClient(_factory))
        {
            for (var i = 0; i < 5; i++)
            {
                await PasswordStepAsync(guesser, target.Email, "wrong-password-" + i);
            }
        }
        var row = (await admin.GetDocumentAsync("/users")).QuerySelectorAll("tr").Single(r => r.TextContent.Contains(target.Email));
        Assert.Contains("Locked out", row.TextContent);

        await ChangeAsync(admin, target.Id, "reset-2fa");

        using var back = new FormClient(_factory);
        Assert.Equal("/account/two-factor", FormClient.LocationOf(await PasswordStepAsync(back, target.Email, target.Password)));
    }

    [Fact]
    public async Task UserAdministratorCannotDisableASuperAdministratorOrThemselves()
    {
        using var admin = await SignedInAsync("useradmin@example.test", PanelRoles.UserAdministrator);
        var root = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var self = await FindAsync(_factory, "useradmin@example.test");

        var refused = await ChangeAsync(admin, root.Id, "disable");
        Assert.Contains("holds permissions you do not", await refused.Content.ReadAsStringAsync());
        Assert.False((await FindAsync(_factory, root.Email)).IsDisabled);

        var selfRefused = await ChangeAsync(admin, self.Id, "disable");
        Assert.Contains("You cannot do this to your own account", await selfRefused.Content.ReadAsStringAsync());
        Assert.False((await FindAsync(_factory, self.Email!)).IsDisabled);
    }

    [Fact]
    public async Task ReadOnlyUserSeesTheListButCannotChangeAnything()
    {
        using var reader = await SignedInAsync("reader@example.test", PanelRoles.ReadOnly);
        var target = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "target@example.test", PanelRoles.ReadOnly);

        var list = await reader.GetDocumentAsync("/users");
        Assert.Contains("target@example.test", list.Body!.TextContent);
        Assert.Empty(list.QuerySelectorAll("main button"));
        var create = await reader.GetAsync("/users/new");
        Assert.StartsWith("/account/access-denied", FormClient.LocationOf(create));

        // A hand-made post, with a valid token for this session taken from another page, changes nothing.
        var token = (await reader.GetDocumentAsync("/account/login")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var post = await reader.Http.PostAsync("/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "user-action",
            ["Change.Command"] = "disable:" + target.Id,
        }));
        Assert.Contains(post.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Forbidden });
        Assert.False((await FindAsync(_factory, target.Email)).IsDisabled);
    }
}

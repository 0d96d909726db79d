using System.Net;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Users;
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

    // The Users page is interactive: its dialog and buttons call UserAdministration (after CircuitActor's
    // permission check, covered by UsersBrowserTests). These tests hold the rules of those operations.
    private async Task<UserChangeResult> CreateAsync(string actorEmail, string email, string role, string password = TestUsers.DefaultPassword)
    {
        await using var scope = _factory.Scope();
        var actor = await FindAsync(_factory, actorEmail);
        return await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(actor.Id, email, "Dana Example", role, password);
    }

    private async Task<UserChangeResult> ChangeAsync(string actorEmail, string userId, string operation)
    {
        await using var scope = _factory.Scope();
        var actor = await FindAsync(_factory, actorEmail);
        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        return operation switch
        {
            "disable" => await administration.DisableAsync(actor.Id, userId),
            "enable" => await administration.EnableAsync(actor.Id, userId),
            "end-sessions" => await administration.EndSessionsAsync(actor.Id, userId),
            _ => await administration.ResetSecondFactorAsync(actor.Id, userId),
        };
    }

    private Task<int> AuditCountAsync(string action, string subjectId) =>
        _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == action && e.SubjectId == subjectId));

    [Fact]
    public async Task SuperAdministratorCreatesAUserWhoSignsInAndMustEnroll()
    {
        using var admin = await SignedInAsync("root@example.test", PanelRoles.SuperAdministrator);

        var created = await CreateAsync("root@example.test", "dana@example.test", PanelRoles.UserAdministrator);

        Assert.True(created.Succeeded, created.Message);
        var list = await (await admin.GetAsync("/users")).Content.ReadAsStringAsync();
        Assert.Contains("dana@example.test", list);
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
    public async Task CreatingExplainsAWeakPasswordOrATakenEmailAndNamesTheField()
    {
        using var admin = await SignedInAsync("root@example.test", PanelRoles.SuperAdministrator);

        var weak = await CreateAsync("root@example.test", "weak@example.test", PanelRoles.ReadOnly, "short");
        Assert.Contains("at least 12 characters", weak.Message);
        Assert.Equal("Password", weak.Field);

        var taken = await CreateAsync("root@example.test", "root@example.test", PanelRoles.ReadOnly);
        Assert.Contains("is already taken", taken.Message);
        Assert.Equal("Email", taken.Field);
        Assert.Null(await FindAsync(_factory, "weak@example.test"));
    }

    [Fact]
    public async Task UserAdministratorCannotCreateASuperAdministrator()
    {
        using var admin = await SignedInAsync("useradmin@example.test", PanelRoles.UserAdministrator);
        await using (var scope = _factory.Scope())
        {
            var actor = await FindAsync(_factory, "useradmin@example.test");
            var offered = (await scope.ServiceProvider.GetRequiredService<UserAdministration>().AssignableRolesAsync(actor.Id)).Select(r => r.Name).ToList();
            Assert.DoesNotContain(PanelRoles.SuperAdministrator, offered);
            Assert.Contains(PanelRoles.ReadOnly, offered);
        }

        var posted = await CreateAsync("useradmin@example.test", "sneaky@example.test", PanelRoles.SuperAdministrator);

        Assert.Contains("You cannot give the role Super Administrator", posted.Message);
        Assert.Null(await FindAsync(_factory, "sneaky@example.test"));
    }

    [Fact]
    public async Task EndingAUsersSessionsSignsThemOutOnEveryBrowserAndTheListCountsThem()
    {
        using var admin = await SignedInAsync("root@example.test", PanelRoles.SuperAdministrator);
        var target = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "sessions@example.test", PanelRoles.ReadOnly);
        using var laptop = new FormClient(_factory);
        using var phone = new FormClient(_factory);
        await SignInAsync(laptop, target, _factory.Time);
        await SignInAsync(phone, target, _factory.Time);
        Assert.Equal(2, await ActiveSessionsShownAsync(target.Id));

        var ended = await ChangeAsync("root@example.test", target.Id, "end-sessions");

        Assert.True(ended.Succeeded, ended.Message);
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.GetAsync("/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/tokens")).StatusCode);
        Assert.Equal(0, await ActiveSessionsShownAsync(target.Id));
        Assert.Equal(1, await AuditCountAsync(AuditActions.SessionsEnded, target.Id));
        Assert.False((await FindAsync(_factory, target.Email)).IsDisabled);
    }

    [Fact]
    public async Task UserAdministratorCannotEndTheSessionsOfASuperAdministrator()
    {
        using var admin = await SignedInAsync("useradmin@example.test", PanelRoles.UserAdministrator);
        using var root = await SignedInAsync("root@example.test", PanelRoles.SuperAdministrator);
        var rootUser = await FindAsync(_factory, "root@example.test");

        var refused = await ChangeAsync("useradmin@example.test", rootUser.Id, "end-sessions");

        Assert.Equal(UserChangeError.OutrankedTarget, refused.Error);
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync("/tokens")).StatusCode);
        Assert.Equal(1, await ActiveSessionsShownAsync(rootUser.Id));
    }

    private async Task<int> ActiveSessionsShownAsync(string userId)
    {
        await using var scope = _factory.Scope();
        var rows = await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync();
        return rows.Single(r => r.Id == userId).ActiveSessions;
    }

    [Fact]
    public async Task DisablingEndsTheUsersSessionAndEnablingLetsThemBackIn()
    {
        using var admin = await SignedInAsync("root@example.test", PanelRoles.SuperAdministrator);
        var target = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "target@example.test", PanelRoles.ReadOnly);
        using var targetClient = new FormClient(_factory);
        await SignInAsync(targetClient, target, _factory.Time);
        Assert.Equal(HttpStatusCode.OK, (await targetClient.GetAsync("/users")).StatusCode);

        var disabled = await ChangeAsync("root@example.test", target.Id, "disable");

        Assert.True(disabled.Succeeded, disabled.Message);
        Assert.True((await FindAsync(_factory, target.Email)).IsDisabled);
        Assert.Equal(HttpStatusCode.Redirect, (await targetClient.GetAsync("/users")).StatusCode);
        Assert.Equal(1, await AuditCountAsync(AuditActions.UserDisabled, target.Id));

        var enabled = await ChangeAsync("root@example.test", target.Id, "enable");
        Assert.True(enabled.Succeeded, enabled.Message);
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

        var reset = await ChangeAsync("root@example.test", target.Id, "reset-2fa");

        Assert.True(reset.Succeeded, reset.Message);
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

        Assert.True((await ChangeAsync("root@example.test", target.Id, "reset-2fa")).Succeeded);

        using var back = new FormClient(_factory);
        Assert.Equal("/account/two-factor", FormClient.LocationOf(await PasswordStepAsync(back, target.Email, target.Password)));
    }

    [Fact]
    public async Task UserAdministratorCannotDisableASuperAdministratorOrThemselves()
    {
        using var admin = await SignedInAsync("useradmin@example.test", PanelRoles.UserAdministrator);
        var root = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var self = await FindAsync(_factory, "useradmin@example.test");

        var refused = await ChangeAsync("useradmin@example.test", root.Id, "disable");
        Assert.Contains("holds permissions you do not", refused.Message);
        Assert.False((await FindAsync(_factory, root.Email)).IsDisabled);

        var selfRefused = await ChangeAsync("useradmin@example.test", self.Id, "disable");
        Assert.Contains("You cannot do this to your own account", selfRefused.Message);
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

        // A hand-made post, with a valid token for this session taken from another page, changes nothing:
        // the interactive page has no form handler to reach.
        var token = (await reader.GetDocumentAsync("/account/login")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var post = await reader.Http.PostAsync("/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "user-action",
            ["Change.Command"] = "disable:" + target.Id,
        }));
        Assert.Contains(post.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Forbidden, HttpStatusCode.MethodNotAllowed });
        Assert.False((await FindAsync(_factory, target.Email)).IsDisabled);
    }
}

using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Sso;

/// <summary>
/// The storage side of single sign-on on the real database (SQLite here, PostgreSQL in
/// <c>Persistence/PostgreSqlSuites.cs</c>): sessions found by the provider's sid or sub, and users
/// created at their first single sign-on, once even when two sign-ins race.
/// </summary>
public class ProviderSessionTests(DatabaseProvider provider = DatabaseProvider.Sqlite) : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = provider == DatabaseProvider.PostgreSql ? new Persistence.PostgreSqlApiAppFactory() : new PanelAppFactory();

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => _factory.DisposeAsync().AsTask();

    [Fact]
    public async Task TheProvidersLogoutEndsTheSessionsOfItsSidOrOfItsSubOnly()
    {
        var ada = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "ada@example.test", PanelRoles.ReadOnly);
        var grace = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "grace@example.test", PanelRoles.ReadOnly);
        var first = await StartAsync(ada.Id, new ProviderSession("ada-sub", "sid-1"));
        var second = await StartAsync(ada.Id, new ProviderSession("ada-sub", "sid-2"));
        var password = await StartAsync(ada.Id, null);
        var graces = await StartAsync(grace.Id, new ProviderSession("grace-sub", "sid-3"));

        var bySid = await EndAsync("sid-1", null);
        Assert.Equal([(ada.Id, 1)], bySid);
        Assert.Equal(Sorted(second, password, graces), await ActiveAsync());

        // A sid with another user's sub ends nothing.
        Assert.Empty(await EndAsync("sid-3", "ada-sub"));
        Assert.Empty(await EndAsync(null, null));

        Assert.Equal([(ada.Id, 1)], await EndAsync(null, "ada-sub"));
        // The password session stays: the provider did not start it.
        Assert.Equal(Sorted(password, graces), await ActiveAsync());
        Assert.DoesNotContain(first, await ActiveAsync());
    }

    [Fact]
    public async Task TwoFirstSignInsOfOnePersonAtOnceCreateOneUser()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = _factory.Scope();
            return await scope.ServiceProvider.GetRequiredService<SingleSignOnMatch>()
                .CreateAsync("new-sub", "new@example.test", emailVerified: true, "New Person", PanelRoles.ReadOnly, "in a test");
        }));

        var ids = results.Select(r => r.User?.Id).Distinct().ToList();
        var id = Assert.Single(ids);
        Assert.NotNull(id);
        await using var check = _factory.Scope();
        var users = check.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = await users.Users.SingleAsync(u => u.ExternalId == "new-sub");
        Assert.Equal([PanelRoles.ReadOnly], await users.GetRolesAsync(user));
    }

    [Fact]
    public async Task NobodyIsCreatedWithAnAdministratorRoleOrWithoutAVerifiedEmail()
    {
        await using var scope = _factory.Scope();
        var match = scope.ServiceProvider.GetRequiredService<SingleSignOnMatch>();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            match.CreateAsync("admin-sub", "admin@example.test", true, null, PanelRoles.UserAdministrator, "in a test"));
        Assert.Equal(SingleSignOnRefusal.NotCreated, (await match.CreateAsync("x-sub", "x@example.test", false, null, PanelRoles.ReadOnly, "in a test")).Refusal);
        Assert.Equal(SingleSignOnRefusal.NotCreated, (await match.CreateAsync("y-sub", null, true, null, PanelRoles.ReadOnly, "in a test")).Refusal);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Users.CountAsync()));
    }

    private async Task<string> StartAsync(string userId, ProviderSession? session)
    {
        await using var scope = _factory.Scope();
        return await scope.ServiceProvider.GetRequiredService<SessionRegistry>()
            .StartAsync(userId, SessionStage.SignedIn, "127.0.0.1", session is null ? SignInMethods.PasswordAndCode : SignInMethods.SsoAndCode, session);
    }

    private async Task<List<(string, int)>> EndAsync(string? sid, string? sub)
    {
        await using var scope = _factory.Scope();
        return [.. await scope.ServiceProvider.GetRequiredService<SessionRegistry>().EndByProviderAsync(sid, sub)];
    }

    private async Task<List<string>> ActiveAsync() =>
        Sorted([.. await _factory.WithDbAsync(db => db.UserSessions.Where(s => s.EndedAt == null).Select(s => s.Id).ToListAsync())]);

    private static List<string> Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];
}

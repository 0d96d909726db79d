using System.Net;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Account;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AccessTokenPanel.Tests.ScaleOut;

/// <summary>
/// Two instances starting at once on a PostgreSQL database that does not exist yet: one creates it,
/// both migrate and print a setup link, and either link works on the other instance; two people
/// submitting both links at the same moment make exactly one first administrator.
/// </summary>
[Collection(nameof(ClusterAloneCollection))]
[PostgreSqlCases]
public sealed class FirstRunAcrossInstancesTests : IAsyncLifetime
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(PostgreSqlTestServer.AdminConnectionString)
    {
        Database = "atp_missing_" + Guid.NewGuid().ToString("N")[..12],
    }.ConnectionString;

    private IReadOnlyList<PanelCluster.Instance> _instances = [];

    public async Task InitializeAsync()
    {
        _instances = [new PanelCluster.Instance(_connectionString, 0), new PanelCluster.Instance(_connectionString, 1)];
        await Task.WhenAll(_instances.Select(i => Task.Run(i.StartKestrel)));
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
        PostgreSqlTestServer.DropDatabase(_connectionString);
    }

    private static Dictionary<string, string> Administrator(string email) => new()
    {
        ["Input.Email"] = email,
        ["Input.Password"] = TestUsers.DefaultPassword,
        ["Input.ConfirmPassword"] = TestUsers.DefaultPassword,
    };

    private static FormClient Client(CookieContainer cookies, Uri address) =>
        new(new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = address });

    [Fact]
    public async Task EitherInstancesSetupLinkWorksOnTheOtherAndOnlyOneFirstAdministratorIsMade()
    {
        var paths = _instances.Select(AccountHttp.SetupPathFromLog).ToList();
        Assert.NotEqual(paths[0], paths[1]);

        // Each person opens the link one instance printed on the other instance (as a balancer would send them).
        var alice = new CookieContainer();
        var bob = new CookieContainer();
        using var aliceOnFirst = Client(alice, _instances[0].Address);
        using var bobOnSecond = Client(bob, _instances[1].Address);
        var aliceForm = await aliceOnFirst.GetDocumentAsync(paths[1]);
        var bobForm = await bobOnSecond.GetDocumentAsync(paths[0]);
        Assert.NotNull(aliceForm.QuerySelector("form input[name='Input.Email']"));
        Assert.NotNull(bobForm.QuerySelector("form input[name='Input.Email']"));

        // Both submit at the same moment, each to the instance that did not serve their form.
        using var aliceOnSecond = Client(alice, _instances[1].Address);
        using var bobOnFirst = Client(bob, _instances[0].Address);
        var answers = await Task.WhenAll(
            aliceOnSecond.SubmitAsync(aliceForm, paths[1], Administrator("alice@example.test")),
            bobOnFirst.SubmitAsync(bobForm, paths[0], Administrator("bob@example.test")));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect && FormClient.LocationOf(a) == "/account/two-factor");
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.NotFound);
        var users = await _instances[0].WithDbAsync(db => db.Users.Select(u => u.Email).ToListAsync());
        var first = Assert.Single(users);
        Assert.Equal(1, await _instances[1].WithDbAsync(db => db.UserRoles.CountAsync()));
        Assert.Contains(first, new[] { "alice@example.test", "bob@example.test" });
        Assert.Equal(PanelRoles.All.Count, await _instances[1].WithDbAsync(db => db.Roles.CountAsync()));
    }
}

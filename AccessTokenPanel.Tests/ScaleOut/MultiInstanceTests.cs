using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Account;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Passkeys;
using AccessTokenPanel.Web.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace AccessTokenPanel.Tests.ScaleOut;

/// <summary>
/// Several instances on one PostgreSQL behind nginx (deploy/accesstokenpanel.nginx.conf): they
/// start together on an empty database, share Data Protection keys (a cookie or antiforgery token
/// from one is good on another), and a revoke on one is final on all of them at once.
/// </summary>
[PostgreSqlCases(NeedsNginx = true)]
public sealed class MultiInstanceTests(PanelCluster cluster, Chromium chromium) : IClassFixture<PanelCluster>, IClassFixture<Chromium>
{
    [Fact]
    public async Task InstancesStartingTogetherOnAnEmptyDatabaseMigrateItOnceAndAllServe()
    {
        Assert.Empty(cluster.StartFailures);
        foreach (var instance in cluster.Instances)
        {
            using var http = new HttpClient { BaseAddress = instance.Address };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        }
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(await CountAsync(connection, "SELECT COUNT(DISTINCT \"MigrationId\") FROM \"__EFMigrationsHistory\""),
            await CountAsync(connection, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));
        Assert.True(await CountAsync(connection, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\"") >= 1);
        // Seeding raced too: each role and the settings row exist exactly once.
        Assert.Equal(PanelRoles.All.Count, await CountAsync(connection, "SELECT COUNT(*) FROM \"AspNetRoles\""));
        Assert.Equal(1, await CountAsync(connection, "SELECT COUNT(*) FROM \"Settings\""));
    }

    [Fact]
    public async Task SignInThroughTheBalancerGivesACookieThatEveryInstanceAccepts()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(cluster.Instances[0].Services, "signin@example.test", PanelRoles.SuperAdministrator);
        var cookies = new CookieContainer();
        using var balancer = new FormClient(Client(cookies, cluster.Balancer.BaseAddress));

        var password = await AccountHttp.PasswordStepAsync(balancer, user.Email, user.Password);
        Assert.Equal("/account/login/two-factor", FormClient.LocationOf(password));
        cluster.AdvanceClocks(TimeSpan.FromSeconds(30));
        var code = await AccountHttp.CodeStepAsync(balancer, user.CodeAt(cluster.Instances[0].Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Contains(cookies.GetAllCookies(), c => c.Name == "AccessTokenPanel.Auth");

        // The same cookie, straight to each instance: signed in everywhere (not sent to the login page).
        foreach (var instance in cluster.Instances)
        {
            using var direct = Client(cookies, instance.Address);
            var page = await direct.GetAsync("/tokens");
            Assert.True(page.StatusCode == HttpStatusCode.OK,
                $"instance {instance.Index}: {(int)page.StatusCode} {page.Headers.Location}\n"
                + string.Join('\n', instance.Logs.Lines.Where(l => l.Contains("Error") || l.Contains("Exception")).TakeLast(5)));
        }
    }

    [Fact]
    public async Task EveryScreenWorksInABrowserThroughTheBalancerOverLiveCircuits()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(cluster.Instances[0].Services, "browser@example.test", PanelRoles.SuperAdministrator);
        await using var context = await chromium.NewContextAsync(cluster.Balancer.BaseAddress);
        var page = await context.NewPageAsync();
        // Every instance's clock moves: the code may be checked by any of them.
        await BrowserSignIn.SignInAsync(page, user, () =>
        {
            cluster.AdvanceClocks(TimeSpan.FromSeconds(30));
            return user.CodeAt(cluster.Instances[0].Time.GetUtcNow());
        });

        // Each screen becomes interactive: its circuit's WebSocket went through nginx's upgrade.
        foreach (var (path, heading) in new[] { ("/tokens", "Access tokens"), ("/tokens/all", "All access tokens"), ("/users", "Users"), ("/audit", "Audit log"), ("/settings", "Settings") })
        {
            await BrowserTest.GotoInteractiveAsync(page, path);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 1 })).ToBeVisibleAsync();
        }
        // And a round trip on the live circuit: the Generate dialog opens.
        await BrowserTest.GotoInteractiveAsync(page, "/tokens");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate access token" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog).GetByLabel("Token name")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AFormFromOneInstanceIsAcceptedWhenPostedToAnother()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(cluster.Instances[0].Services, "antiforgery@example.test", PanelRoles.ReadOnly);
        var cookies = new CookieContainer();
        using var first = new FormClient(Client(cookies, cluster.Instances[0].Address));
        using var second = new FormClient(Client(cookies, cluster.Instances[1].Address));

        // Antiforgery cookie and token made by instance 0, checked by instance 1.
        var form = await first.GetDocumentAsync("/account/login");
        var posted = await second.SubmitAsync(form, "/account/login",
            new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        Assert.Equal("/account/login/two-factor", FormClient.LocationOf(posted));
    }

    [Fact]
    public async Task ATokenIssuedOnOneInstanceWorksOnEveryInstance()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(cluster.Instances[0].Services, "issuer@example.test");
        var secret = await cluster.Instances[2].IssueTokenAsync(owner.Id, ApiType.Rest);
        foreach (var instance in cluster.Instances)
        {
            using var http = Bearer(instance.Address, secret);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/tokens/current")).StatusCode);
        }
    }

    [Fact]
    public async Task AfterARevokeReturnsOnOneInstanceNoneOfTheNext200CallsOnAnyInstanceIsAccepted()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(cluster.Instances[0].Services, "revoker@example.test");
        var secret = await cluster.Instances[0].IssueTokenAsync(owner.Id, ApiType.Rest);
        using var balanced = Bearer(cluster.Balancer.BaseAddress, secret);
        // Every instance has served the token (and would have cached it, if anything did).
        for (var i = 0; i < 3 * PanelCluster.Size; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await balanced.GetAsync("/api/v1/tokens/current")).StatusCode);
        }
        var id = (await (await balanced.GetAsync("/api/v1/tokens/current")).Content.ReadFromJsonAsync<TokenId>())!.Id;
        var refusedBefore = cluster.Instances.Select(RevokedRefusals).ToList();

        using (var instanceA = Bearer(cluster.Instances[0].Address, secret))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await instanceA.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
        }

        var statuses = new List<HttpStatusCode>();
        for (var batch = 0; batch < 25; batch++)
        {
            var calls = Enumerable.Range(0, 8).Select(_ => balanced.GetAsync("/api/v1/tokens/current"));
            statuses.AddRange((await Task.WhenAll(calls)).Select(r => r.StatusCode));
        }
        Assert.Equal(200, statuses.Count);
        Assert.Equal(0, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        // Round-robin really spread them: every instance refused some of them itself.
        var refusedAfter = cluster.Instances.Select(RevokedRefusals).ToList();
        Assert.All(Enumerable.Range(0, PanelCluster.Size), i => Assert.True(refusedAfter[i] > refusedBefore[i], $"instance {i} refused none"));
    }

    [Fact]
    public async Task UsesRecordedOnEveryInstanceAreFlushedAndTheNewestWins()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(cluster.Instances[0].Services, "usage@example.test");
        var secret = await cluster.Instances[0].IssueTokenAsync(owner.Id, ApiType.Rest);
        // Instance k uses the token k*10 s later than instance 0.
        foreach (var instance in cluster.Instances)
        {
            instance.Time.Advance(TimeSpan.FromSeconds(10 * instance.Index));
            using var http = Bearer(instance.Address, secret);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/tokens/current")).StatusCode);
        }
        var newest = cluster.Instances[^1].Time.GetUtcNow().UtcDateTime;
        // Clocks back in step for the other tests.
        foreach (var instance in cluster.Instances)
        {
            instance.Time.Advance(TimeSpan.FromSeconds(10 * (PanelCluster.Size - 1 - instance.Index)));
        }

        // The newest use is written first; the older ones flushed after it must not overwrite it.
        foreach (var instance in cluster.Instances.Reverse())
        {
            await instance.Services.GetRequiredService<TokenUsageFlusher>().FlushAsync();
        }
        var lastUsed = await cluster.Instances[1].WithDbAsync(async db =>
            (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.AccessTokens, t => t.OwnerId == owner.Id)).LastUsedAt);
        Assert.Equal(newest, lastUsed!.Value, TimeSpan.FromMilliseconds(1));
    }

    private static int RevokedRefusals(PanelCluster.Instance instance) =>
        instance.Logs.Lines.Count(l => l.Contains("Refused a Rest token: Revoked"));

    [Fact]
    public async Task APasskeyAddedThroughTheBalancerSignsInOnEveryInstanceButNotFromAnotherOrigin()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(cluster.Instances[0].Services, "passkey@example.test", PanelRoles.ReadOnly);
        // WebAuthn refuses a bare IP address as relying party: every address below names localhost.
        await using var context = await chromium.NewContextAsync(Localhost(cluster.Balancer.BaseAddress));
        var page = await context.NewPageAsync();
        var authenticator = await VirtualAuthenticator.AttachAsync(page);
        string NextCode()
        {
            cluster.AdvanceClocks(TimeSpan.FromSeconds(30));
            return user.CodeAt(cluster.Instances[0].Time.GetUtcNow());
        }
        await BrowserSignIn.SignInAsync(page, user, NextCode);
        await page.GotoAsync("/account/passkeys");
        await page.GetByLabel("Passkey name", new() { Exact = true }).FillAsync("Laptop");
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(NextCode());
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Added the passkey “Laptop”");
        Assert.Equal(1, await authenticator.CountCredentialsAsync());

        // Through the balancer, then on each instance at its own address: the passkey alone signs in.
        foreach (var address in cluster.Instances.Select(i => i.Address).Prepend(cluster.Balancer.BaseAddress))
        {
            await context.ClearCookiesAsync();
            await page.GotoAsync(new Uri(Localhost(address), "/account/login").ToString());
            await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
            await page.WaitForAddressAsync(url => !url.AbsolutePath.StartsWith("/account", StringComparison.Ordinal));
            Assert.Equal(Localhost(address).Authority, new Uri(page.Url).Authority);
        }

        // An instance whose public address is the balancer's, reached at another origin (its own
        // port): the browser signs that origin into the assertion, and the panel refuses it.
        await using var fenced = new PanelCluster.Instance(cluster.ConnectionString, PanelCluster.Size);
        fenced.Settings["Hosting:PublicBaseUrl"] = Localhost(cluster.Balancer.BaseAddress).ToString();
        fenced.Time.SetUtcNow(cluster.Instances[0].Time.GetUtcNow());
        fenced.StartKestrel();
        await context.ClearCookiesAsync();
        await page.GotoAsync(new Uri(Localhost(fenced.Address), "/account/login").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That passkey did not sign you in");
        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);
        Assert.Equal(Localhost(fenced.Address).Authority, new Uri(page.Url).Authority);
    }

    private static Uri Localhost(Uri address) => new UriBuilder(address) { Host = "localhost" }.Uri;

    private static HttpClient Client(CookieContainer cookies, Uri address) =>
        new(new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = address };

    private static HttpClient Bearer(Uri address, string secret)
    {
        var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return http;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private sealed record TokenId(Guid Id);

}

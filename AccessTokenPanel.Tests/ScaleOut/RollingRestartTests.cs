using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AccessTokenPanel.Tests.ScaleOut;

/// <summary>
/// README "Rolling restart": three instances on PostgreSQL behind nginx
/// (deploy/accesstokenpanel.nginx.conf) are restarted one after the other, each stopped gracefully
/// as on SIGTERM and started again on its port, while API calls keep coming and an admin screen
/// stays open.
/// </summary>
[Collection(nameof(ClusterAloneCollection))]
[PostgreSqlCases(NeedsNginx = true)]
public sealed class RollingRestartTests(PanelCluster cluster, Chromium chromium, ITestOutputHelper output)
    : IClassFixture<PanelCluster>, IClassFixture<Chromium>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RestartingEveryInstanceInTurnRefusesNoCallLosesNoUseAndTheOpenScreenComesBackByItself()
    {
        Assert.Empty(cluster.StartFailures);
        var admin = await TestUsers.CreateEnrolledUserAsync(cluster.Instances[0].Services, "rolling@example.test", PanelRoles.SuperAdministrator);
        var secret = await cluster.Instances[0].IssueTokenAsync(admin.Id, ApiType.Rest);
        var tokenId = await cluster.Instances[0].WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == admin.Id).Select(t => t.Id).SingleAsync());

        // An admin screen open on whichever instance nginx's ip_hash picked, on a live circuit.
        await using var context = await chromium.NewContextAsync(cluster.Balancer.BaseAddress);
        var page = await context.NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, () =>
        {
            cluster.AdvanceClocks(TimeSpan.FromSeconds(30));
            return admin.CodeAt(cluster.Instances[0].Time.GetUtcNow());
        });
        await BrowserTest.GotoInteractiveAsync(page, "/tokens");
        // Gone with a reload: tells a page that reloaded itself from one that never lost its circuit.
        await page.EvaluateAsync("() => { window.openBeforeTheRestarts = true; }");
        var loads = 0;
        page.Load += (_, _) => Interlocked.Increment(ref loads);

        await using var load = new ApiLoad(cluster.Balancer.BaseAddress, secret, workers: 4);
        await load.WaitForMoreSuccessesAsync(20, Patience);
        for (var index = 0; index < PanelCluster.Size; index++)
        {
            var stop = await cluster.RestartAsync(index);
            output.WriteLine($"instance {index}: stopped in {stop.TotalMilliseconds:F0} ms, {load.Calls} calls so far");
            // As the README's procedure: the next one goes down only once this one serves again, through
            // the balancer. Ready is not yet that: nginx leaves an instance that refused a connection
            // alone for its fail_timeout (1 s), and restarts closer together than that once marked all
            // three at a time (502 "no live upstreams" for a second, in a fast run).
            var restarted = cluster.Instances[index].Services.GetRequiredService<TokenUsageRecorder>();
            await load.WaitUntilAsync(() => restarted.Pending(tokenId) is not null, $"restarted instance {index} served a call through nginx", Patience);
            await load.WaitForMoreSuccessesAsync(20, Patience);
        }
        await load.StopAsync();

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} of {load.Calls} calls failed: {string.Join(" | ", load.Failures.Distinct().Take(10))}\n"
            + string.Join('\n', cluster.Balancer.ErrorLog.Split('\n').Where(l => l.Contains("[error]")).Take(30)));

        // Every call was counted once: the stopped instances flushed at shutdown, the running ones now.
        foreach (var instance in cluster.Instances)
        {
            await instance.Services.GetRequiredService<TokenUsageFlusher>().FlushAsync();
        }
        var recorded = await cluster.Instances[0].WithDbAsync(db => db.TokenDailyUsage.Where(u => u.TokenId == tokenId).SumAsync(u => u.Requests));
        Assert.Equal(load.Calls, recorded);

        // The screen's instance went away with its circuit: the page reloaded by itself, and works.
        await page.WaitForFunctionAsync("() => window.openBeforeTheRestarts === undefined", null, new() { Timeout = (float)Patience.TotalMilliseconds });
        // The page may reload more than once: a reload while its instance is down lands on another
        // one, which may be restarted next. A click sent in the moment between a circuit's end and the
        // page noticing it is lost with that circuit, and the page comes back by itself again: so the
        // click is tried again on the page that came back, a few times at most, each time saying why.
        var name = page.GetByRole(AriaRole.Dialog, new() { Name = "Generate access token" }).GetByLabel("Token name");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await BrowserTest.WaitForInteractiveAsync(page);
            }
            catch (TimeoutException waiting)
            {
                // In one of three full runs on 2026-12-07 the reloaded page never got its circuit (cause not found): say what it showed instead.
                var body = await page.Locator("body").InnerTextAsync();
                throw new TimeoutException($"After reloading ({loads} loads), {page.Url} got no circuit. It showed: {body[..Math.Min(body.Length, 600)]}\n"
                    + string.Join('\n', cluster.Balancer.ErrorLog.Split('\n').Where(l => l.Contains("[error]")).TakeLast(10)), waiting);
            }
            await page.GetByRole(AriaRole.Button, new() { Name = "Generate access token", Exact = true }).ClickAsync();
            try
            {
                await Assertions.Expect(name).ToBeVisibleAsync(new() { Timeout = 10_000 });
                output.WriteLine($"the dialog opened at attempt {attempt}, after {loads} page loads");
                return;
            }
            catch (PlaywrightException lost) when (attempt < 3)
            {
                var reconnect = await page.Locator("#components-reconnect-modal").GetAttributeAsync("class");
                output.WriteLine($"attempt {attempt}: no dialog after the click ({loads} page loads so far, reconnect UI '{reconnect}'): {lost.Message.Split('\n')[0]}");
            }
        }
    }
}

using System.Diagnostics;
using AccessTokenPanel.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AccessTokenPanel.Tests;

public sealed class StartCostProbe
{
    [Fact]
    public async Task Probe()
    {
        for (var i = 0; i < 16; i++)
        {
            var sw = Stopwatch.StartNew();
            await using var f = new PanelAppFactory();
            var c = f.CreateClient();
            var t1 = sw.ElapsedMilliseconds;
            var r = await c.GetAsync("/healthz/live");
            var t2 = sw.ElapsedMilliseconds;
            var u = await TestUsers.CreateEnrolledUserAsync(f.Services, $"p{i}@example.test", AccessTokenPanel.Domain.Permissions.PanelRoles.SuperAdministrator);
            var t3 = sw.ElapsedMilliseconds;
            await f.DisposeAsync();
            File.AppendAllText("/tmp/s6/probe.txt", $"{i}: start {t1} first-request {t2 - t1} user {t3 - t2} dispose {sw.ElapsedMilliseconds - t3}\n");
        }
        if (Environment.GetEnvironmentVariable("PROBE_EXIT") == "1") Environment.Exit(0);
    }
}

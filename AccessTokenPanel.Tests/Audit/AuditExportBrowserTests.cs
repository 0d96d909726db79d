using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Audit;

/// <summary>
/// The audit log page's export buttons download the filtered view in a real browser, and the
/// Settings page shows a syslog sink that is down with its backlog and error.
/// (<c>ATP_SCREENSHOTS=/some/folder</c> keeps screenshots of both screens.)
/// </summary>
public sealed class AuditExportBrowserTests(Chromium chromium) : BrowserTest(chromium), IAsyncLifetime
{
    private readonly SyslogReceiver _syslog = SyslogReceiver.Down();

    protected override PanelAppFactory CreateFactory()
    {
        var app = new PanelAppFactory();
        app.Settings["Audit:Streaming:Interval"] = "01:00:00";
        app.Settings["Audit:Sinks:siem:Type"] = "Syslog";
        app.Settings["Audit:Sinks:siem:Host"] = "127.0.0.1";
        app.Settings["Audit:Sinks:siem:Port"] = _syslog.Port.ToString();
        return app;
    }

    [Fact]
    public async Task ExportCsvDownloadsTheFilteredViewAndSettingsShowTheSinkThatIsDown()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        await using (var scope = Factory.Scope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            for (var i = 0; i < 4; i++)
            {
                audit.Record(admin.Id, i % 2 == 0 ? AuditActions.TokenRevoked : AuditActions.TokenCreated, "token", $"t{i}", $"token {i}");
            }
            await scope.ServiceProvider.GetRequiredService<PanelDbContext>().SaveChangesAsync();
        }
        await Factory.Services.GetRequiredService<AuditStreamWorker>().StreamAsync(CancellationToken.None);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);

        await GotoInteractiveAsync(page, "/audit?action=token.revoked");
        var export = page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" });
        await Assertions.Expect(export).ToHaveAttributeAsync("href", "audit/export?format=csv&action=token.revoked");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Export JSON lines" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "audit-export.png");
        var download = await page.RunAndWaitForDownloadAsync(() => export.ClickAsync());
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).ToList();
        Assert.StartsWith("audit-token-revoked-", download.SuggestedFilename);
        Assert.Equal(3, lines.Count);
        Assert.All(lines.Skip(1), l => Assert.Contains(",token.revoked,", l));

        await GotoInteractiveAsync(page, "/settings");
        var sinks = page.GetByRole(AriaRole.Region, new() { Name = "Audit streaming" });
        var row = sinks.GetByRole(AriaRole.Row, new() { Name = "siem" });
        await Assertions.Expect(row).ToContainTextAsync($"Syslog (RFC 5424, TCP) to 127.0.0.1:{_syslog.Port}");
        // The four entries and the sign-in's.
        await Assertions.Expect(row).ToContainTextAsync("5 waiting");
        await Assertions.Expect(row).ToContainTextAsync("could not be reached");
        await ScreenshotAsync(page, "settings-audit-streaming.png", page.Locator("section[aria-labelledby='audit-sinks-title']"));
    }

    private static async Task ScreenshotAsync(IPage page, string name, ILocator? only = null)
    {
        if (Environment.GetEnvironmentVariable("ATP_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, name);
            await (only is null ? page.ScreenshotAsync(new() { Path = path }) : only.ScreenshotAsync(new() { Path = path }));
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _syslog.DisposeAsync();
    }
}

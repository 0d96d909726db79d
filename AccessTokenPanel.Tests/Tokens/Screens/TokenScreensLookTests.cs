using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>
/// Each token screen at desktop and phone width (and once in dark mode): nothing may force sideways
/// scrolling on a phone. Screenshots go to $TMPDIR/atp-screens for a person to look at.
/// </summary>
public sealed class TokenScreensLookTests(Chromium chromium) : BrowserTest(chromium)
{
    private static readonly string ScreenshotFolder = Path.Combine(Path.GetTempPath(), "atp-screens");

    public override Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotFolder);
        return base.InitializeAsync();
    }

    [Theory]
    [InlineData(1280, 900, ColorScheme.Light, true)]
    [InlineData(390, 844, ColorScheme.Light, true)]
    [InlineData(1280, 900, ColorScheme.Dark, true)]
    [InlineData(1280, 900, ColorScheme.Light, false)]
    [InlineData(390, 844, ColorScheme.Dark, false)]
    public async Task EveryScreenFitsTheWindow(int width, int height, ColorScheme scheme, bool javaScript)
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, $"erin.{width}.{scheme}.{javaScript}@example.test".ToLowerInvariant(), PanelRoles.SuperAdministrator);
        var other = await TestUsers.CreateEnrolledUserAsync(Factory.Services, $"frank.{width}.{scheme}.{javaScript}@example.test".ToLowerInvariant(), PanelRoles.ReadOnly);
        await SeedTokensAsync(user.Id, other.Id);

        var page = await NewPageAsync(javaScript, width, height, scheme);
        var name = $"{width}-{scheme.ToString().ToLowerInvariant()}{(javaScript ? "" : "-nojs")}";

        await page.GotoAsync("/account/login");
        await ShotAsync(page, $"{name}-01-sign-in");
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        await page.GotoAsync("/tokens");
        await ShotAsync(page, $"{name}-02-list");
        await page.GotoAsync("/tokens?status=all&sort=expires&dir=asc");
        await ShotAsync(page, $"{name}-03-list-all-by-expiry");

        await page.GotoAsync("/tokens?generate=1");
        await page.GetByLabel("API", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Configuration API" });
        await ShotAsync(page, $"{name}-04-generate");

        await page.GetByLabel("Token name", new() { Exact = true }).FillAsync("ci deploy");
        await page.GetByLabel("Specific date", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Expiration date", new() { Exact = true }).FillAsync("2030-01-01");
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await ShotAsync(page, $"{name}-05-generate-errors");

        await page.GetByLabel("Delegated role", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = PanelRoles.ReadOnly });
        await page.GetByLabel("Number of days", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Days", new() { Exact = true }).FillAsync("90");
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Access token", new() { Exact = true })).ToBeVisibleAsync();
        if (javaScript)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true }).ClickAsync();
        }
        await ShotAsync(page, $"{name}-06-result");

        await page.GotoAsync("/tokens");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Nightly backup" })
            .GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await page.GetByLabel("Type yes to confirm", new() { Exact = true }).FillAsync("no");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();
        await ShotAsync(page, $"{name}-07-delete-refused");

        await page.GotoAsync("/tokens?deleteAll=1");
        await ShotAsync(page, $"{name}-08-delete-all");

        await page.GotoAsync("/tokens/all");
        await ShotAsync(page, $"{name}-09-inventory");

        await page.GotoAsync("/tokens?api=scim");
        await ShotAsync(page, $"{name}-10-no-match");

        await page.GotoAsync("/audit");
        await ShotAsync(page, $"{name}-12-audit");
        await page.GotoAsync("/settings");
        await ShotAsync(page, $"{name}-13-settings");

        var emptyPage = await NewPageAsync(javaScript, width, height, scheme);
        var newcomer = await TestUsers.CreateEnrolledUserAsync(Factory.Services, $"gina.{width}.{scheme}.{javaScript}@example.test".ToLowerInvariant(), PanelRoles.ReadOnly);
        await BrowserSignIn.SignInAsync(emptyPage, newcomer, Factory.Time);
        await emptyPage.GotoAsync("/tokens");
        await ShotAsync(emptyPage, $"{name}-11-empty");
    }

    private async Task ShotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{name}: the page is {overflow}px wider than the window");
    }

    private async Task SeedTokensAsync(string userId, string otherId)
    {
        var backup = await ScreenTestData.IssueAsync(Factory.Services, userId, "Nightly backup", ApiType.Rest, 90);
        var soon = await ScreenTestData.IssueAsync(Factory.Services, userId, "Okta provisioning", ApiType.Scim, 5);
        var old = await ScreenTestData.IssueAsync(Factory.Services, userId, "Old monitoring script", ApiType.Rest, 30);
        var gone = await ScreenTestData.IssueAsync(Factory.Services, userId, "Leaked on a wiki", ApiType.Rest, 30);
        await ScreenTestData.IssueAsync(Factory.Services, otherId, "Reporting dashboard", ApiType.Rest, 180);
        var now = Factory.Time.GetUtcNow().UtcDateTime;
        await Factory.WithDbAsync(async db =>
        {
            var tokens = await db.AccessTokens.Where(t => new[] { backup.Id, old.Id, gone.Id, soon.Id }.Contains(t.Id)).ToListAsync();
            var b = tokens.Single(t => t.Id == backup.Id);
            b.LastUsedAt = now.AddHours(-3);
            b.LastUsedFrom = "203.0.113.7";
            var o = tokens.Single(t => t.Id == old.Id);
            o.CreatedAt = now.AddDays(-33);
            o.ExpiresAt = now.AddDays(-3);
            var g = tokens.Single(t => t.Id == gone.Id);
            g.RevokedAt = now.AddDays(-1);
            g.RevokedById = userId;
            return await db.SaveChangesAsync();
        });
    }
}

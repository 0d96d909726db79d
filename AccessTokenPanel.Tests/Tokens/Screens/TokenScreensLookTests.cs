using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>
/// Each token screen and dialog at desktop and phone width, light and dark (both on one visit of
/// each screen): nothing may force
/// sideways scrolling, and axe-core finds no serious or critical violation. Screenshots go to
/// $TMPDIR/atp-screens for a person to look at.
/// </summary>
public sealed class TokenScreensLookTests(Chromium chromium) : BrowserTest(chromium)
{
    internal static readonly string ScreenshotFolder = Path.Combine(Path.GetTempPath(), "atp-screens");

    public override Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotFolder);
        return base.InitializeAsync();
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task EveryTokenScreenFitsTheWindowAndPassesAxe(int width, int height)
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, $"erin.{width}@example.test", PanelRoles.SuperAdministrator);
        var other = await TestUsers.CreateEnrolledUserAsync(Factory.Services, $"frank.{width}@example.test", PanelRoles.ReadOnly);
        await SeedTokensAsync(user.Id, other.Id);
        var page = await NewPageAsync(true, width, height);
        var name = $"tokens-{width}";
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        await page.GotoInteractiveAsync("/tokens");
        await CheckInBothSchemesAsync(page, $"{name}-01-list");
        await page.GotoInteractiveAsync("/tokens?status=all&sort=expires&dir=asc");
        await CheckInBothSchemesAsync(page, $"{name}-02-list-all-by-expiry");

        await page.GetByRole(AriaRole.Button, new() { Name = "Generate access token", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Generate access token" });
        await page.ChooseAsync(dialog, "API", "Configuration API");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Days", Exact = true }).FillAsync("400");
        await Assertions.Expect(dialog).ToContainTextAsync("Tokens may live at most 365 days.");
        await CheckInBothSchemesAsync(page, $"{name}-03-generate-errors");

        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Token name", Exact = true }).FillAsync("ci deploy");
        await page.ChooseAsync(dialog, "Delegated role", PanelRoles.ReadOnly);
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "Specific date" }).CheckAsync();
        await Assertions.Expect(dialog.GetByLabel("Expiration date")).ToBeVisibleAsync();
        await CheckInBothSchemesAsync(page, $"{name}-04-generate-date");
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "Number of days" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "90 days", Exact = true }).ClickAsync();
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true })).ToBeVisibleAsync();
        await CheckInBothSchemesAsync(page, $"{name}-05-result");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();

        await page.Row("Nightly backup").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete access token" });
        var typed = confirm.GetByRole(AriaRole.Textbox, new() { Name = "Type yes to confirm", Exact = true });
        await typed.FillAsync("no");
        await typed.PressAsync("Enter");
        await Assertions.Expect(confirm).ToContainTextAsync("Nothing was deleted");
        await CheckInBothSchemesAsync(page, $"{name}-06-delete-refused");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete all my tokens", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Delete all my tokens" })).ToBeVisibleAsync();
        await CheckInBothSchemesAsync(page, $"{name}-07-delete-all");
        await page.Keyboard.PressAsync("Escape");

        await page.GotoInteractiveAsync("/tokens/all");
        await Assertions.Expect(page.Row("Reporting dashboard")).ToHaveCountAsync(1);
        await CheckInBothSchemesAsync(page, $"{name}-08-inventory");
        await page.GotoInteractiveAsync("/tokens?api=scim&status=revoked");
        await CheckInBothSchemesAsync(page, $"{name}-09-no-match");

        var emptyPage = await NewPageAsync(true, width, height);
        var newcomer = await TestUsers.CreateEnrolledUserAsync(Factory.Services, $"gina.{width}@example.test", PanelRoles.ReadOnly);
        await BrowserSignIn.SignInAsync(emptyPage, newcomer, Factory.Time);
        await emptyPage.GotoInteractiveAsync("/tokens");
        await CheckInBothSchemesAsync(emptyPage, $"{name}-10-empty");
    }

    /// <summary><see cref="CheckAsync"/> in light and in dark, on one visit (<see cref="BrowserTest.InBothSchemesAsync"/>).</summary>
    internal static Task CheckInBothSchemesAsync(IPage page, string name) =>
        InBothSchemesAsync(page, (scheme, rules) => CheckAsync(page, $"{name}-{SchemeName(scheme)}", rules));

    /// <summary>Screenshot, no sideways scroll, and no serious or critical axe-core finding.</summary>
    internal static async Task CheckAsync(IPage page, string name, AxeRules rules = AxeRules.All)
    {
        // Let MudBlazor's open/close transitions finish so the picture and the scan see the resting state.
        await WaitForAnimationsAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        if (overflow > 0)
        {
            // Name the widest culprits, so a failure says where to look.
            var wide = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' right=' + Math.round(e.getBoundingClientRect().right))");
            Assert.Fail($"{name}: the page is {overflow}px wider than the window; beyond it: {string.Join(", ", wide)}");
        }

        // The app bar belongs to the layout (MainLayout has its own scan); the token screens and their dialogs are checked here.
        var axe = await Axe.ScanAsync(page, rules, ".mud-appbar");
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Target))}")
            .ToList();
        Assert.True(serious.Count == 0, $"{name}: axe-core found\n{string.Join("\n", serious)}");
    }

    private async Task SeedTokensAsync(string userId, string otherId)
    {
        var backup = await ScreenTestData.IssueAsync(Factory.Services, userId, "Nightly backup", ApiType.Rest, 90);
        var okta = await ScreenTestData.IssueAsync(Factory.Services, userId, "Okta provisioning", ApiType.Scim, 5);
        // Exchanged at the OAuth token endpoint: a line under their parent, not rows.
        foreach (var minutes in new[] { 12, 35, 52 })
        {
            await ScreenTestData.DeriveAsync(Factory.Services, okta, TimeSpan.FromMinutes(minutes));
        }
        var old = await ScreenTestData.IssueAsync(Factory.Services, userId, "Old monitoring script", ApiType.Rest, 30);
        var gone = await ScreenTestData.IssueAsync(Factory.Services, userId, "Leaked on a wiki", ApiType.Rest, 30);
        await ScreenTestData.IssueAsync(Factory.Services, otherId, "Reporting dashboard", ApiType.Rest, 180);
        var now = Factory.Time.GetUtcNow().UtcDateTime;
        await Factory.WithDbAsync(async db =>
        {
            var tokens = await db.AccessTokens.Where(t => new[] { backup.Id, old.Id, gone.Id }.Contains(t.Id)).ToListAsync();
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

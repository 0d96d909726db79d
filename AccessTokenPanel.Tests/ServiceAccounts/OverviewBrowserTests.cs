using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Tokens.Screens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.ServiceAccounts;

/// <summary>
/// The Overview (the landing page after sign-in) against a seeded database, in Chromium: the
/// user's own numbers, the estate's for an inventory holder and not for a plain user, the calls per
/// day in the table, and the links that lead to the list filtered to what they count.
/// </summary>
public sealed class OverviewBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    private static ILocator Figure(IPage page, string label) =>
        page.Locator(".overview-figure").Filter(new() { Has = page.GetByText(label, new() { Exact = true }) });

    [Fact]
    public async Task TheNumbersMatchTheDatabaseAndEachLinkFiltersTheList()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "overview@example.test", PanelRoles.SuperAdministrator);
        var other = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "other@example.test");
        var soon = await ScreenTestData.IssueAsync(Factory.Services, admin.Id, "expires soon", ApiType.Rest, 5);
        await ScreenTestData.IssueAsync(Factory.Services, admin.Id, "long lived", ApiType.Scim, 200);
        var gone = await ScreenTestData.IssueAsync(Factory.Services, admin.Id, "gone", ApiType.Rest, 60);
        await ScreenTestData.IssueAsync(Factory.Services, other.Id, "someone else's", ApiType.Rest, 20);
        await using (var revoking = Factory.Scope())
        {
            Assert.Equal(RevokeOutcome.Revoked, await revoking.ServiceProvider.RevokeAsAsync(gone.Id, admin.Id));
        }
        var now = Factory.Time.GetUtcNow().UtcDateTime;
        await using (var scope = Factory.Scope())
        {
            var counts = new TokenUsageCounts();
            for (var i = 0; i < 7; i++)
            {
                counts.CountUse(soon.Id, now.AddDays(-1), "10.0.0.1");
            }
            counts.CountRefusal(soon.Id, TokenValidationStatus.Expired, now);
            await scope.ServiceProvider.GetRequiredService<TokenUsageHistory>().WriteAsync(counts.Drain());
            scope.ServiceProvider.GetRequiredService<AuditLog>().Record(null, AuditActions.SignInFailed, "user", null, "Failed sign-in for nobody@example.test");
            await scope.ServiceProvider.GetRequiredService<PanelDbContext>().SaveChangesAsync();
        }
        await Factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Id == soon.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now)));

        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time, landing: null);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await page.WaitForInteractiveAsync();

        // Own: 2 active (one expiring within 30 days), 1 revoked.
        var own = page.Locator("section[aria-labelledby=own-heading]");
        await Assertions.Expect(own.Locator(".overview-figure").Filter(new() { HasText = "active" }).First).ToContainTextAsync("2");
        await Assertions.Expect(own.Locator(".overview-figure").Filter(new() { HasText = "expiring within 30 days" })).ToContainTextAsync("1");
        await Assertions.Expect(own.Locator(".overview-figure").Filter(new() { HasText = "revoked" })).ToContainTextAsync("1");
        await Assertions.Expect(own.GetByRole(AriaRole.Row).Filter(new() { HasText = "expires soon" })).ToContainTextAsync("in 5 days");

        // The estate: 3 live tokens (2 REST, 1 SCIM), all but "expires soon" never used.
        var estate = page.Locator("section[aria-labelledby=estate-heading]");
        await Assertions.Expect(Figure(page, "active REST API")).ToContainTextAsync("2");
        await Assertions.Expect(Figure(page, "active SCIM API")).ToContainTextAsync("1");
        await Assertions.Expect(Figure(page, "active Configuration API")).ToContainTextAsync("0");
        await Assertions.Expect(Figure(page, "never used")).ToContainTextAsync("2");
        await Assertions.Expect(Figure(page, "expiring within 7 days")).ToContainTextAsync("1");
        await Assertions.Expect(Figure(page, "failed sign-ins in 24 hours")).ToContainTextAsync("1");
        await estate.GetByText("The numbers, day by day").ClickAsync();
        await Assertions.Expect(estate.GetByRole(AriaRole.Row).Filter(new() { HasText = now.AddDays(-1).ToString("yyyy-MM-dd") })).ToContainTextAsync("7");
        await Assertions.Expect(estate.GetByRole(AriaRole.Row).Filter(new() { HasText = "expired" })).ToContainTextAsync("1");
        await Assertions.Expect(estate.GetByRole(AriaRole.Row).Filter(new() { HasText = "expires soon" })).ToContainTextAsync("7");

        // Each number leads to the list filtered to it.
        await Figure(page, "expiring within 7 days").GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/tokens/all\\?status=expiring7$"));
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Row("expires soon")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Row("long lived")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Row("someone else's")).ToHaveCountAsync(0);

        // A plain user sees their own numbers only.
        var plain = await NewPageAsync();
        await BrowserSignIn.SignInAsync(plain, other, Factory.Time, landing: null);
        await Assertions.Expect(plain.GetByRole(AriaRole.Heading, new() { Name = "Your tokens" })).ToBeVisibleAsync();
        await Assertions.Expect(plain.GetByRole(AriaRole.Heading, new() { Name = "Every token" })).ToHaveCountAsync(0);
    }
}

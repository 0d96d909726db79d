using AccessTokenPanel.Tests.Infrastructure;

namespace AccessTokenPanel.Tests.Accessibility;

/// <summary>
/// The scanner the screen tests rely on (<see cref="Axe.ScanAsync"/>, axe-core in the page) finds
/// what it must: were it to see nothing, every "no violation" assertion would pass on any page.
/// </summary>
public sealed class AxeScannerTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task ItReportsSeriousViolationsWithTheirNodesAndHonoursExclusions()
    {
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("""
            <!doctype html><html lang="en"><head><title>t</title></head><body><main>
            <header class="bar"><button id="unnamed-in-bar"></button></header>
            <button id="unnamed"></button>
            <p style="color:#777;background:#888">low contrast</p>
            </main></body></html>
            """);

        var all = await Axe.ScanAsync(page);
        var buttonName = Assert.Single(all.Violations, v => v.Id == "button-name");
        Assert.Equal("critical", buttonName.Impact);
        Assert.Equal(["#unnamed-in-bar", "#unnamed"], buttonName.Nodes.Select(n => n.Target));
        Assert.Contains(all.Violations, v => v.Id == "color-contrast" && v.Impact == "serious");

        // A second colour scheme scans only the rules that read colours: the contrast, not the names.
        var colours = await Axe.ScanAsync(page, AxeRules.Colours);
        Assert.Equal(["color-contrast"], colours.Violations.Select(v => v.Id));

        var outsideBar = await Axe.ScanAsync(page, ".bar");
        Assert.Equal(["#unnamed"], Assert.Single(outsideBar.Violations, v => v.Id == "button-name").Nodes.Select(n => n.Target));

        // The script stays in the page between scans; a page that navigated has lost it and gets it again.
        await page.GotoAsync("data:text/html,<!doctype html><html lang=en><head><title>t</title></head><body><main><button id=fresh></button></main></body></html>");
        Assert.False(await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"));
        var afterNavigation = await Axe.ScanAsync(page);
        Assert.Equal(["#fresh"], Assert.Single(afterNavigation.Violations, v => v.Id == "button-name").Nodes.Select(n => n.Target));
    }
}

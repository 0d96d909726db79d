using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Look;

/// <summary>
/// Every screen of the shell, users, audit, settings and the account pages (<see cref="PanelTour"/>)
/// at desktop and phone width, each in light and then dark on the same visit (<see cref="BrowserTest.InBothSchemesAsync"/>): nothing scrolls sideways, axe-core finds no serious
/// or critical violation, and a screenshot of each is kept for a person to look at
/// (bin/.../screenshots/shell). One tour does all three checks on each screen; the axe-core scan had
/// a tour of its own (desktop light and phone dark only) until the suite had to get faster.
/// </summary>
public sealed class ScreenshotTests(Chromium chromium) : BrowserTest(chromium)
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "screenshots", "shell");

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task EveryScreenFitsTheWindowAndHasNoSeriousOrCriticalViolation(int width, int height)
    {
        Directory.CreateDirectory(Folder);
        var overflowing = new List<string>();
        var findings = new List<string>();

        await PanelTour.VisitAsync(this, Factory, () => NewPageAsync(width: width, height: height, colorScheme: ColorScheme.Light), (page, name) =>
            InBothSchemesAsync(page, async (scheme, rules) =>
            {
                var tag = $"{name}-{width}-{SchemeName(scheme)}";
                await page.ScreenshotAsync(new() { Path = Path.Combine(Folder, tag + ".png"), FullPage = true });
                var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                if (scrollWidth > width)
                {
                    overflowing.Add($"{tag}: {scrollWidth}px wide");
                }
                var axe = await Axe.ScanAsync(page, rules);
                findings.AddRange(axe.Violations
                    .Where(v => v.Impact is "serious" or "critical")
                    .Select(v => $"{tag}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
            }));

        Assert.Empty(overflowing);
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }
}

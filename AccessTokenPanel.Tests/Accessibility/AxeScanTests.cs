using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Look;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Accessibility;

/// <summary>axe-core on every screen of the shell, users, audit, settings and the account pages, both dialogs open, light and dark.</summary>
public sealed class AxeScanTests(Chromium chromium) : BrowserTest(chromium)
{
    [Theory]
    [InlineData(1280, 900, ColorScheme.Light)]
    [InlineData(390, 844, ColorScheme.Dark)]
    public async Task NoScreenHasASeriousOrCriticalViolation(int width, int height, ColorScheme scheme)
    {
        var findings = new List<string>();

        await PanelTour.VisitAsync(this, Factory, () => NewPageAsync(width: width, height: height, colorScheme: scheme), async (page, name) =>
        {
            var result = await page.RunAxe();
            findings.AddRange(result.Violations
                .Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
        });

        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }
}

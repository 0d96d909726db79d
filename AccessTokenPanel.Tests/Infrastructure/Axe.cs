using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>One axe-core violation: the rule, its impact, and the elements that break it.</summary>
public sealed record AxeViolation(string Id, string? Impact, string Help, IReadOnlyList<AxeNode> Nodes);

/// <summary>An element that breaks a rule: its HTML and its CSS selector path.</summary>
public sealed record AxeNode(string Html, string Target);

public sealed record AxeScan(IReadOnlyList<AxeViolation> Violations);

/// <summary>Which of axe-core's rules a scan runs.</summary>
public enum AxeRules
{
    /// <summary>Every rule axe-core runs by default.</summary>
    All,

    /// <summary>
    /// Only the rules whose outcome depends on colours (<see cref="Axe.ColourRules"/>): what a second
    /// colour scheme of a page already scanned in the first can change. The document is the same in
    /// both schemes (the theme changes colours, not elements), so every other rule would repeat itself.
    /// </summary>
    Colours,
}

/// <summary>axe-core scans for the browser tests.</summary>
public static class Axe
{
    /// <summary>axe-core as Deque's package bundles it (the version the package pins).</summary>
    private static readonly Lazy<string> Source = new(() => new BundledAxeScriptProvider().GetScript());

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>axe-core's rules that read colours: text contrast, and links told from the text around them.</summary>
    public static readonly IReadOnlyList<string> ColourRules = ["color-contrast", "link-in-text-block"];

    /// <summary>Every default rule (<see cref="ScanAsync(IPage, AxeRules, string[])"/> with <see cref="AxeRules.All"/>).</summary>
    public static Task<AxeScan> ScanAsync(IPage page, params string[] exclude) => ScanAsync(page, AxeRules.All, exclude);

    /// <summary>
    /// Runs axe-core's <c>axe.run</c> in the page itself, on the whole document but the
    /// <paramref name="exclude"/>d selectors, and returns its violations (every node of each).
    /// The script is put into the page once, then reused until the page navigates: Deque's
    /// Playwright package evaluated the whole 500 kB script on every scan and sent every rule's
    /// result back, about 0.8 s a scan on top of axe's own 0.3-0.6 s here, for the suite's ~200 scans.
    /// Only violations are asked for (axe's <c>resultTypes</c>), and only what the tests read comes
    /// back. The page's Content Security Policy does not apply: Playwright evaluates through the
    /// DevTools protocol, not a script element.
    /// </summary>
    public static async Task<AxeScan> ScanAsync(IPage page, AxeRules rules, params string[] exclude)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"))
        {
            await page.EvaluateAsync(Source.Value);
        }
        var json = await page.EvaluateAsync<string>("""
            async ([exclude, only]) => {
                const context = exclude.length ? { exclude: exclude.map(s => [s]) } : document;
                const options = { resultTypes: ['violations'] };
                if (only.length) options.runOnly = { type: 'rule', values: only };
                const result = await axe.run(context, options);
                return JSON.stringify(result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({ html: n.html, target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' ') })),
                })));
            }
            """, new object[] { exclude, rules == AxeRules.Colours ? ColourRules : Array.Empty<string>() });
        return new AxeScan(JsonSerializer.Deserialize<List<AxeViolation>>(json, Json)!);
    }
}

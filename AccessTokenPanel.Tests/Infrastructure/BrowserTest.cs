using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// A browser test: a fresh app per test on a real port (<see cref="PanelAppFactory.StartKestrel"/>) and
/// one Chromium per test class. Pages opened with <see cref="NewPageAsync"/> close with the test.
/// </summary>
public abstract class BrowserTest(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    protected Chromium Chromium { get; } = chromium;
    private PanelAppFactory? _factory;

    /// <summary>The app under test, made by <see cref="CreateFactory"/> on first use.</summary>
    protected PanelAppFactory Factory => _factory ??= CreateFactory();

    /// <summary>A test class needing a differently configured app (its own database setup) overrides this.</summary>
    protected virtual PanelAppFactory CreateFactory() => new();
    protected Uri BaseAddress { get; private set; } = default!;

    public virtual Task InitializeAsync()
    {
        BaseAddress = Factory.StartKestrel();
        return Task.CompletedTask;
    }

    /// <summary>A page in a fresh browser context (own cookies) at <see cref="BaseAddress"/>; its context is <c>page.Context</c>.</summary>
    protected async Task<IPage> NewPageAsync(bool javaScriptEnabled = true, int width = 1280, int height = 900, ColorScheme? colorScheme = null)
    {
        var context = await Chromium.NewContextAsync(BaseAddress, javaScriptEnabled, width, height, colorScheme);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Waits until the page's circuit is live (the layout's marker, from RendererInfo.IsInteractive):
    /// a click on the prerendered page before that would be lost.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("#interactive-marker[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Opens <paramref name="url"/> and waits for its circuit.</summary>
    public static async Task GotoInteractiveAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await WaitForInteractiveAsync(page);
    }

    /// <summary>
    /// Waits until every running animation and transition of the page has ended (MudBlazor animates
    /// dialogs opening and closing, and colours), so a picture or a scan sees the resting state.
    /// </summary>
    public static Task WaitForAnimationsAsync(IPage page) =>
        page.EvaluateAsync("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => {})))");

    /// <summary>
    /// Runs <paramref name="check"/> on the page as it is, in the colour scheme the browser reports
    /// now, then in the other one: the browser's <c>prefers-color-scheme</c> is switched on the open
    /// page, and the check waits until the page has taken it (the body's background turns dark or
    /// light: a media query on the static pages, the theme provider's watch and a render on the
    /// interactive ones) and its colour transitions have ended. One visit of a screen checks both
    /// schemes, instead of a tour per scheme. Leaves the page in the other scheme, so the next call
    /// starts there. The check is told which axe-core rules its scan needs: all of them in the first
    /// scheme, then only those that read colours (<see cref="AxeRules.Colours"/>), since switching
    /// the scheme changes nothing else.
    /// </summary>
    public static async Task InBothSchemesAsync(IPage page, Func<ColorScheme, AxeRules, Task> check)
    {
        var dark = await page.EvaluateAsync<bool>("() => matchMedia('(prefers-color-scheme: dark)').matches");
        var rules = AxeRules.All;
        foreach (var scheme in dark ? new[] { ColorScheme.Dark, ColorScheme.Light } : [ColorScheme.Light, ColorScheme.Dark])
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await page.WaitForFunctionAsync("""
                dark => {
                    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
                    return (r + g + b < 3 * 128) === dark;
                }
                """, scheme == ColorScheme.Dark);
            await WaitForAnimationsAsync(page);
            await check(scheme, rules);
            rules = AxeRules.Colours;
        }
    }

    public static string SchemeName(ColorScheme scheme) => scheme.ToString().ToLowerInvariant();

    public virtual async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
        await Factory.DisposeAsync();
    }
}

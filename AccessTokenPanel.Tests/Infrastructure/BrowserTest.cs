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

    public virtual async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
        await Factory.DisposeAsync();
    }
}

using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium headless shell driven by Playwright (Playwright's own browser download cannot
/// work here; see PLATFORM.md). The headless shell (package <c>chromium-headless-shell</c>) is the
/// same Chromium engine without the desktop browser around it, and what Playwright itself runs for
/// headless tests: the full <c>chromium</c> in headless mode spent about twice the CPU on the same
/// navigations here (15-18 CPU-seconds against 31 for one scripted tour; 1.7 against 5.0 for five
/// fresh contexts), and the suite is CPU-bound on two cores. One browser for the whole run, shared by every test class through
/// <c>IClassFixture&lt;Chromium&gt;</c> (see <see cref="BrowserTest"/>): starting a browser per class
/// cost the suite seconds each time. Isolation comes from a fresh context (own cookies, storage)
/// per page; the browser closes when the test process ends.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium-headless-shell";

    private static readonly Lazy<Task<(IPlaywright Playwright, IBrowser Browser)>> Shared = new(LaunchAsync);

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync() => Browser = (await Shared.Value).Browser;

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: install it with 'apt-get install -y chromium-headless-shell' (the test script does this when run as root).");
        }
        // Expect(...) assertions wait 5 s by default, locator actions 30 s. Several tests run at once on
        // the CI's two cores, and a passkey ceremony or a circuit's first render can take longer than
        // 5 s there while nothing is wrong: assertions wait as long as a person would.
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            browser.CloseAsync().Wait(TimeSpan.FromSeconds(10));
            playwright.Dispose();
        };
        return (playwright, browser);
    }

    /// <summary>A fresh context (own cookies) at the given base address.</summary>
    public Task<IBrowserContext> NewContextAsync(
        Uri baseAddress, bool javaScriptEnabled = true, int width = 1280, int height = 900, ColorScheme? colorScheme = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            JavaScriptEnabled = javaScriptEnabled,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
        });

    // The shared browser outlives each class; each test disposes its own contexts.
    public Task DisposeAsync() => Task.CompletedTask;
}

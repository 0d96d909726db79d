using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright (Playwright's own browser download cannot work here;
/// see PLATFORM.md). One browser per test class through <c>IClassFixture&lt;Chromium&gt;</c> (see <see cref="BrowserTest"/>).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: install it with 'apt-get install -y chromium' (the test script does this when run as root).");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
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

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}

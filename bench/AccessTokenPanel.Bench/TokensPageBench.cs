using System.Diagnostics;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Bench;

/// <summary>
/// The interactive /tokens page in Debian's Chromium against the bench host (Production, SQLite):
/// time from navigation to a live circuit (the layout's interactivity marker), and the resident
/// memory of this process (the server; the Playwright client in it is small, Chromium and the
/// Playwright driver are other processes) with 1 and with N pages open at once.
/// </summary>
internal static class TokensPageBench
{
    public static async Task RunAsync(int port, int runs, int openPages)
    {
        await using var app = new BenchApp();
        app.UseKestrel(port);
        app.StartServer();
        await app.SeedAsync();
        var (email, password, key) = await EnrollAsync(app.Services);
        var baseUrl = $"http://127.0.0.1:{port}";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var signedIn = await SignInAsync(browser, baseUrl, email, password, key);

        // Navigation to interactive, one page at a time (a fresh context each: no cached scripts between runs is not
        // the point; cookies are). The first run is the cold one.
        var times = new List<double>();
        var phases = new List<double[]>();
        for (var i = 0; i < runs; i++)
        {
            var context = await browser.NewContextAsync(new() { BaseURL = baseUrl, StorageState = signedIn });
            var page = await context.NewPageAsync();
            var clock = Stopwatch.StartNew();
            // ATP_BENCH_WS=1: the circuit's WebSocket frames with their time since the navigation started.
            var frames = new List<string>();
            if (Environment.GetEnvironmentVariable("ATP_BENCH_WS") == "1")
            {
                page.WebSocket += (_, ws) =>
                {
                    frames.Add($"{clock.ElapsedMilliseconds,6} ms  open {ws.Url}");
                    ws.FrameSent += (_, f) => frames.Add($"{clock.ElapsedMilliseconds,6} ms  sent {Describe(f)}");
                    ws.FrameReceived += (_, f) => frames.Add($"{clock.ElapsedMilliseconds,6} ms  received {Describe(f)}");
                };
            }
            await page.GotoAsync("/tokens");
            await page.Locator("#interactive-marker[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            times.Add(clock.Elapsed.TotalMilliseconds);
            foreach (var frame in frames)
            {
                Console.WriteLine(frame);
            }
            if (frames.Count > 0)
            {
                Console.WriteLine(await page.EvaluateAsync<string>(
                    "() => performance.getEntriesByType('resource').map(r => `${r.startTime.toFixed(0).padStart(6)} -> ${r.responseEnd.toFixed(0).padStart(6)} ms  ${r.transferSize} B  ${r.name}`).join('\\n')"));
            }
            phases.Add(await page.EvaluateAsync<double[]>(PhasesScript));
            await context.CloseAsync();
        }
        Console.WriteLine($"navigation-to-interactive /tokens ms: {string.Join(", ", times.Select(t => t.ToString("F0")))}");
        var warm = times.Skip(1).Order().ToList();
        Console.WriteLine($"median (warm, {warm.Count} runs): {warm[warm.Count / 2]:F0} ms; first (cold): {times[0]:F0} ms");
        // Where the time goes (the browser's own clock, from the start of navigation; medians of the warm runs).
        for (var p = 0; p < PhaseNames.Length; p++)
        {
            var values = phases.Skip(1).Select(v => v[p]).Order().ToList();
            Console.WriteLine($"  {PhaseNames[p],-34} {values[values.Count / 2],6:F0} ms (cold: {phases[0][p]:F0})");
        }

        // Memory with 1, then N circuits open at the same time (opened one after another, all kept open).
        var contexts = new List<IBrowserContext>();
        async Task OpenAsync()
        {
            var context = await browser.NewContextAsync(new() { BaseURL = baseUrl, StorageState = signedIn });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/tokens");
            await page.Locator("#interactive-marker[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            contexts.Add(context);
        }
        await Task.Delay(TimeSpan.FromSeconds(5)); // let the closed circuits of the timing runs be dropped from the active set
        Console.WriteLine($"RSS idle (timing pages closed): {Rss()}");
        await OpenAsync();
        Console.WriteLine($"RSS with 1 open /tokens page: {Rss()} (after GC: {RssAfterGc()})");
        while (contexts.Count < openPages)
        {
            await OpenAsync();
        }
        Console.WriteLine($"RSS with {contexts.Count} open /tokens pages: {Rss()} (after GC: {RssAfterGc()})");
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }
    }

    private static readonly string[] PhaseNames =
    [
        "first byte of the page", "page received", "first contentful paint", "DOM content loaded",
        "scripts and styles loaded (load)", "circuit negotiate sent", "interactive marker seen",
    ];

    // Navigation timing, paint timing and resource timing, all relative to the navigation's start.
    private const string PhasesScript = """
        () => {
            const nav = performance.getEntriesByType('navigation')[0];
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            const negotiate = performance.getEntriesByType('resource').find(r => r.name.includes('/_blazor/negotiate'));
            return [nav.responseStart, nav.responseEnd, paint ? paint.startTime : -1, nav.domContentLoadedEventEnd,
                nav.loadEventEnd, negotiate ? negotiate.startTime : -1, performance.now()];
        }
        """;

    private static string Describe(IWebSocketFrame frame) => frame.Text is { } text
        ? $"text {text.Length} chars: {text[..Math.Min(text.Length, 80)].ReplaceLineEndings(" ")}"
        : $"binary {frame.Binary?.Length ?? 0} bytes";

    private static string Rss()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0:F1} MiB";
    }

    private static string RssAfterGc()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Rss();
    }

    private static async Task<(string Email, string Password, string Key)> EnrollAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = await users.FindByEmailAsync("bench@example.com") ?? throw new InvalidOperationException("No bench user.");
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return ("bench@example.com", "Correct-Horse-Battery-9", (await users.GetAuthenticatorKeyAsync(user))!);
    }

    private static async Task<string> SignInAsync(IBrowser browser, string baseUrl, string email, string password, string key)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = baseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(Oathtool(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
        var state = await context.StorageStateAsync();
        await context.CloseAsync();
        return state;
    }

    private static string Oathtool(string key)
    {
        var start = new ProcessStartInfo("oathtool") { RedirectStandardOutput = true };
        start.ArgumentList.Add("--totp");
        start.ArgumentList.Add("-b");
        start.ArgumentList.Add(key.Replace(" ", "", StringComparison.Ordinal));
        using var process = Process.Start(start)!;
        var code = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return code;
    }
}

using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Data.Sqlite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>
/// The token list reads the database once per page view: the circuit's first render reuses what the
/// prerender read (persisted component state) instead of running the same queries again, and still
/// reads afresh when the user changes the view.
/// </summary>
public sealed class TokenListPrerenderTests(Chromium chromium) : BrowserTest(chromium)
{
    private readonly CommandCapture _commands = new();

    protected override PanelAppFactory CreateFactory() => new CapturingFactory(_commands);

    private sealed class CapturingFactory(CommandCapture commands) : PanelAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.ConfigureDbContext<SqlitePanelDbContext>(db => db.AddInterceptors(commands)));
        }
    }

    // The list's own queries: the page of rows, the count of matches and the "do you have any" check.
    private int ListQueries() => _commands.Commands.Count(c => c.Sql.Contains("FROM \"AccessTokens\"", StringComparison.Ordinal)
        && (c.Sql.Contains("\"a\".\"Hint\"", StringComparison.Ordinal) || c.Sql.Contains("EXISTS", StringComparison.Ordinal)));

    // What the rest of the page reads once per view: the layout's permissions (links), the notice
    // bell's count and the token requests section (with its settings). Every HTTP request (the page,
    // and the circuit's initializers, negotiate and connect) checks the session on its own; those
    // reads (sessions, user, security stamp, profile language) are not counted here.
    private int PageDataQueries() => _commands.Commands.Count(c =>
        c.Sql.Contains("\"AspNetUserRoles\"", StringComparison.Ordinal) || c.Sql.Contains("\"TokenNotices\"", StringComparison.Ordinal)
        || c.Sql.Contains("\"TokenRequests\"", StringComparison.Ordinal) || c.Sql.Contains("\"Settings\"", StringComparison.Ordinal));

    [Fact]
    public async Task TheCircuitShowsWhatThePrerenderReadWithoutReadingItAgain()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "once@example.test");
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "alpha export", ApiType.Rest, 30);
        Factory.Time.Advance(TimeSpan.FromMinutes(1));
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "zulu sync", ApiType.Rest, 60);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        // Off the landing page: its circuit reads tokens too.
        await page.GotoAsync("about:blank");

        // The prerender alone (no script, so no circuit): what one read of the page costs.
        var staticContext = await Chromium.NewContextAsync(BaseAddress, javaScriptEnabled: false);
        await staticContext.AddCookiesAsync((await page.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        var staticPage = await staticContext.NewPageAsync();
        _commands.Clear();
        await staticPage.GotoAsync("/tokens");
        await Assertions.Expect(staticPage.Row("alpha export")).ToBeVisibleAsync();
        var prerenderOnly = ListQueries();
        Assert.Equal(2, prerenderOnly);
        var pageDataOnce = PageDataQueries();
        Assert.True(pageDataOnce >= 3, $"Only {pageDataOnce} reads of roles, notices, requests and settings were seen: the capture is broken.");
        await staticContext.DisposeAsync();

        // Prerender and circuit: the same number of reads, and the rows are there and live.
        _commands.Clear();
        await page.GotoInteractiveAsync("/tokens");
        // Newest first.
        await Assertions.Expect(page.Locator(".token-name")).ToHaveTextAsync(["zulu sync", "alpha export"]);
        Assert.Equal(prerenderOnly, ListQueries());
        // The layout, the notice bell and the requests section too: the circuit reuses what the prerender read.
        await Assertions.Expect(page.Locator("#interactive-marker[data-interactive='true']")).ToBeAttachedAsync();
        Assert.Equal(pageDataOnce, PageDataQueries());

        // Changing the view on the live page reads the database again (nothing is cached beyond the first render).
        await page.GetByRole(AriaRole.Link, new() { Name = "Name" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=name&dir=asc"));
        await Assertions.Expect(page.Locator(".token-name")).ToHaveTextAsync(["alpha export", "zulu sync"]);
        // Exactly one more read: by now the circuit's first render has certainly run, and it read nothing.
        Assert.Equal(2 * prerenderOnly, ListQueries());
    }
}

using System.Net;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>
/// Finding a token's use in Chromium: the list sorted and filtered by use, the name opening the
/// details page with its chart and numbers, and someone else's token not shown.
/// </summary>
public sealed class TokenDetailsBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    protected override PanelAppFactory CreateFactory()
    {
        var factory = new PanelAppFactory();
        // Flushed by the test, so what the page shows is exact.
        factory.Settings["Api:TokenUsage:FlushInterval"] = "01:00:00";
        return factory;
    }

    private async Task<Guid> IssueAsync(string ownerId, string name, params string[] allowed)
    {
        await using var scope = Factory.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenIssuer>().IssueAsync(new IssueTokenRequest(
            ownerId, name, ApiType.Rest, null, TokenExpiry.InDays(30), AllowedAddresses: allowed));
        Assert.True(result.Succeeded, result.ToString());
        _secrets[name] = result.Secret!;
        return result.Token!.Id;
    }

    private readonly Dictionary<string, string> _secrets = [];

    private async Task CallAsync(string name, int times, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _secrets[name]);
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(expected, (await http.GetAsync("/api/v1/tokens")).StatusCode);
        }
    }

    [Fact]
    public async Task TheDetailsPageOpensFromTheListAndShowsTheChartAndTheNumbers()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "watcher@example.test");
        var stranger = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "stranger@example.test", PanelRoles.ReadOnly);
        var busyId = await IssueAsync(user.Id, "busy export");
        await IssueAsync(user.Id, "forgotten script");
        await IssueAsync(user.Id, "fenced", "10.0.0.0/8");
        var theirsId = await IssueAsync(stranger.Id, "not yours");

        var yesterday = Factory.Time.GetUtcNow();
        await CallAsync("busy export", 4);
        Factory.Time.Advance(TimeSpan.FromDays(1));
        await CallAsync("busy export", 3);
        await CallAsync("fenced", 2, HttpStatusCode.Unauthorized);
        await Factory.Services.GetRequiredService<TokenUsageFlusher>().FlushAsync();
        var today = Factory.Time.GetUtcNow();

        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await GotoInteractiveAsync(page, "/tokens?sort=lastused&dir=asc");
        // Least recently used first: the never used tokens lead.
        var names = page.Locator("td[data-token-id] .token-name");
        await Assertions.Expect(names).ToHaveTextAsync(["fenced", "forgotten script", "busy export"]);

        await page.ChooseAsync(page.Locator("[role=search]"), "Usage", "Never used");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("usage=never"));
        await Assertions.Expect(names).ToHaveTextAsync(["fenced", "forgotten script"]);
        await GotoInteractiveAsync(page, "/tokens");

        await page.Row("busy export").GetByRole(AriaRole.Link, new() { Name = "busy export", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/tokens/{busyId}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "busy export", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("7 requests in the last 90 days")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Counts are updated every 3600 seconds")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Bar chart of requests per day" }).Locator("svg")).ToBeVisibleAsync();
        var days = page.GetByRole(AriaRole.Table, new() { Name = "Days with requests" });
        await Assertions.Expect(days.GetByRole(AriaRole.Row)).ToHaveCountAsync(3);
        await Assertions.Expect(days.GetByRole(AriaRole.Row).Nth(1)).ToHaveTextAsync($"{today:yyyy-MM-dd}3");
        await Assertions.Expect(days.GetByRole(AriaRole.Row).Nth(2)).ToHaveTextAsync($"{yesterday:yyyy-MM-dd}4");
        var addresses = page.GetByRole(AriaRole.Table, new() { Name = "The last 5 addresses" });
        await Assertions.Expect(addresses.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(addresses.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync($"{today:yyyy-MM-dd HH:mm} UTC");
        await Assertions.Expect(page.GetByText("No call with this token was refused in the last 90 days.")).ToBeVisibleAsync();
        Directory.CreateDirectory(TokenScreensLookTests.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(TokenScreensLookTests.ScreenshotFolder, "token-details.png"), FullPage = true });

        // Refusals by reason on the fenced token's page.
        await GotoInteractiveAsync(page, $"/tokens/{await IdOfAsync("fenced")}");
        var refusals = page.GetByRole(AriaRole.Table, new() { Name = "Calls refused in the last 90 days, by reason" });
        await Assertions.Expect(refusals.GetByRole(AriaRole.Row).Nth(1)).ToHaveTextAsync("Client address not allowed2");
        await Assertions.Expect(page.GetByText("0 requests in the last 90 days")).ToBeVisibleAsync();

        // Someone else's token: not found, as if it did not exist.
        await GotoInteractiveAsync(page, $"/tokens/{theirsId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access token not found", Level = 1 })).ToBeVisibleAsync();
        Assert.DoesNotContain("not yours", await page.ContentAsync());
    }

    private Task<Guid> IdOfAsync(string name) =>
        Factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == name).Select(t => t.Id).SingleAsync());
}

using System.Net;
using AccessTokenPanel.Tests.Account;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Data.Sqlite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Hosting;

/// <summary>
/// The stylesheets and scripts every page links (App.razor, through @Assets): fingerprinted, sent
/// compressed and cacheable for good, MudBlazor's too (PackageAssetCompression.targets), and
/// answered without the signed-in session's database reads (short-circuited before authentication).
/// </summary>
public sealed class StaticAssetTests(StaticAssetTests.CapturingFactory factory) : IClassFixture<StaticAssetTests.CapturingFactory>
{
    public sealed class CapturingFactory : PanelAppFactory
    {
        public CommandCapture Commands { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.ConfigureDbContext<SqlitePanelDbContext>(db => db.AddInterceptors(Commands)));
        }
    }

    private async Task<IReadOnlyList<string>> LinkedAssetsAsync(FormClient client)
    {
        var page = await client.GetDocumentAsync("/account/login");
        var assets = page.QuerySelectorAll("link[rel=stylesheet]").Select(l => l.GetAttribute("href")!)
            .Concat(page.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!))
            .Select(url => "/" + url.TrimStart('/'))
            .ToList();
        Assert.Contains(assets, a => a.StartsWith("/_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal) && a.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("/_framework/blazor.web.", StringComparison.Ordinal));
        return assets;
    }

    [Fact]
    public async Task EveryLinkedStylesheetAndScriptIsCompressedAndCachedForGood()
    {
        using var client = new FormClient(factory);
        var assets = await LinkedAssetsAsync(client);

        foreach (var asset in assets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, asset);
            request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br, zstd");
            var response = await client.Http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
            Assert.True(response.Content.Headers.ContentEncoding.Count == 1, $"{asset} is sent uncompressed ({response.Content.Headers.ContentLength} bytes).");
            Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            // Short-circuited before authentication, but not before the headers every response carries.
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Fact]
    public async Task AssetsAreAnsweredWithoutReadingTheSignedInSession()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "assets@example.test");
        using var client = new FormClient(factory);
        await AccountHttp.SignInAsync(client, user, factory.Time);
        var assets = await LinkedAssetsAsync(client);

        factory.Commands.Clear();
        foreach (var asset in assets)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(asset)).StatusCode);
        }
        Assert.Empty(factory.Commands.Commands);

        // The same cookie on a page does read the session: the capture sees those reads.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/tokens")).StatusCode);
        Assert.Contains(factory.Commands.Commands, c => c.Sql.Contains("\"UserSessions\"", StringComparison.Ordinal));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Api.Scim;
using AccessTokenPanel.Tests.Infrastructure;

namespace AccessTokenPanel.Tests.Hosting;

/// <summary>
/// Absolute URLs come from the operator's public base URL, never from the Host header; forwarded
/// headers count only from configured proxies (over a real socket, so the peer is 127.0.0.1).
/// </summary>
public sealed class PublicOriginTests : IAsyncLifetime
{
    private readonly List<PanelAppFactory> _factories = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }
    }

    private T Start<T>(T factory, params (string Key, string Value)[] settings) where T : PanelAppFactory
    {
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }
        _factories.Add(factory);
        return factory;
    }

    private static HttpClient Client(PanelAppFactory factory) =>
        factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = factory.ClientOptions.BaseAddress });

    private static HttpRequestMessage Get(string path, string? host = null, string? forwardedFor = null, string? forwardedProto = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        return request;
    }

    private static HttpRequestMessage WrongPassword(string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/user-token");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("nobody@example.test:wrong")));
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    [Fact]
    public async Task SpoofedHostHeaderDoesNotDecideTheSignInRedirect()
    {
        var factory = Start(new PanelAppFactory(), ("Hosting:PublicBaseUrl", "https://panel.example.test"), ("AllowedHosts", "*"));
        using var client = Client(factory);

        var response = await client.SendAsync(Get("/tokens", host: "evil.example"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://panel.example.test/account/login", response.Headers.Location!.AbsoluteUri);
    }

    [Fact]
    public async Task SpoofedHostHeaderDoesNotDecideScimLocations()
    {
        var factory = Start(new ApiAppFactory(), ("Hosting:PublicBaseUrl", "https://panel.example.test"), ("AllowedHosts", "*"));
        var scim = await ScimTestClient.CreateAsync(factory, "scim-owner@example.test");
        scim.Http.DefaultRequestHeaders.Host = "evil.example";

        var created = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser("located@example.test"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("https://panel.example.test/scim/v2/Users/", created.Headers.Location!.AbsoluteUri);
        var body = await ScimTestClient.ReadAsync(created);
        Assert.StartsWith("https://panel.example.test/scim/v2/Users/", (string)body["meta"]!["location"]!);
    }

    [Fact]
    public async Task UnknownHostIsRefusedByDefault()
    {
        var factory = Start(new PanelAppFactory());
        using var client = Client(factory);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Get("/account/login", host: "evil.example"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/account/login"))).StatusCode);
    }

    [Fact]
    public async Task ForwardedHeadersFromAnUntrustedPeerAreIgnored()
    {
        var factory = Start(new PanelAppFactory(), ("AllowedHosts", "*"), ("RateLimiting:Credentials:PermitLimit", "3"));
        factory.StartKestrel();
        using var client = Client(factory);

        var page = await client.SendAsync(Get("/account/login", host: "panel.example.test", forwardedFor: "203.0.113.7", forwardedProto: "https"));

        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        Assert.All(page.Headers.GetValues("Set-Cookie"), cookie => Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase));
        // Each attempt claims another client address; the limit still counts the real peer.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.SendAsync(WrongPassword($"198.51.100.{i}"))).StatusCode);
        }
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task BehindATrustedTlsProxyCookiesAreSecureHstsIsSentAndTheClientAddressCounts()
    {
        var factory = Start(new PanelAppFactory(), ("AllowedHosts", "*"), ("Hosting:TrustedProxies:0", "127.0.0.1"),
            ("RateLimiting:Credentials:PermitLimit", "2"));
        factory.StartKestrel();
        using var client = Client(factory);

        var page = await client.SendAsync(Get("/account/login", host: "panel.example.test", forwardedFor: "203.0.113.7", forwardedProto: "https"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.Contains("Strict-Transport-Security"));
        Assert.All(page.Headers.GetValues("Set-Cookie"), cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(WrongPassword("203.0.113.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(WrongPassword("203.0.113.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(WrongPassword("203.0.113.1"))).StatusCode);
        // Another client behind the same proxy has its own allowance.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(WrongPassword("203.0.113.2"))).StatusCode);
    }
}

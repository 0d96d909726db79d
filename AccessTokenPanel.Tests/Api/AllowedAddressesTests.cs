using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Api;

/// <summary>
/// Per-token allowed client addresses over a real socket (Kestrel on 127.0.0.1, so the peer is
/// 127.0.0.1): refused from elsewhere with an RFC 6750 error naming the address, audited without a
/// write per refusal, and X-Forwarded-For believed only from a configured trusted proxy.
/// </summary>
public class AllowedAddressesTests(DatabaseProvider provider = DatabaseProvider.Sqlite) : IAsyncLifetime
{
    private readonly List<ApiAppFactory> _factories = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }
    }

    private ApiAppFactory Start(params (string Key, string Value)[] settings)
    {
        var factory = provider == DatabaseProvider.PostgreSql ? new Persistence.PostgreSqlApiAppFactory() : new ApiAppFactory();
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }
        // Flushed by the tests themselves, so counts are exact.
        factory.Settings["Api:TokenUsage:FlushInterval"] = "01:00:00";
        _factories.Add(factory);
        factory.StartKestrel();
        return factory;
    }

    private static HttpClient Client(ApiAppFactory factory, string secret)
    {
        var client = factory.CreateClient(new() { BaseAddress = factory.ClientOptions.BaseAddress, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }

    private static HttpRequestMessage Get(string path, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    private static async Task<string> IssueAsync(ApiAppFactory factory, string ownerId, string name, params string[] allowed)
    {
        await using var scope = factory.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenIssuer>().IssueAsync(new IssueTokenRequest(
            ownerId, name, ApiType.Rest, null, TokenExpiry.InDays(30), AllowedAddresses: allowed));
        Assert.True(result.Succeeded, result.ToString());
        return result.Secret!;
    }

    private static Task FlushAsync(ApiAppFactory factory) => factory.Services.GetRequiredService<TokenUsageFlusher>().FlushAsync();

    [Fact]
    public async Task ACallFromAnAddressNotInTheListIsRefusedNamingTheAddressAndIsAuditedOncePerFlush()
    {
        var factory = Start();
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "fenced@example.com");
        var secret = await IssueAsync(factory, owner.Id, "office only", "10.0.0.0/8", "2001:db8::/32");
        using var client = Client(factory, secret);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 3; i++)
        {
            refused = await client.SendAsync(Get("/api/v1/tokens"));
            statuses.Add(refused.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        var challenge = Assert.Single(refused!.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
        Assert.Contains("error_description=\"The token may not be used from 127.0.0.1: the address is not in the token's allowed client addresses.\"", challenge.Parameter);
        Assert.Contains("127.0.0.1", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        // Nothing is written per refusal; the flush writes one entry for the three.
        Assert.Empty(await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.TokenAddressRefused).ToListAsync()));
        await FlushAsync(factory);
        var entry = Assert.Single(await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.TokenAddressRefused).ToListAsync()));
        var tokenId = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == "office only").Select(t => t.Id).SingleAsync());
        Assert.Equal(tokenId.ToString(), entry.SubjectId);
        Assert.StartsWith("3 calls from 127.0.0.1 were refused", entry.Details);
    }

    [Fact]
    public async Task ACallFromAnAllowedAddressWorksAndTheListCanBeChangedLater()
    {
        var factory = Start();
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "loopback@example.com");
        var restricted = await IssueAsync(factory, owner.Id, "loopback only", "127.0.0.0/8");
        var manager = await IssueAsync(factory, owner.Id, "manager");
        var restrictedId = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == "loopback only").Select(t => t.Id).SingleAsync());
        using var client = Client(factory, restricted);
        using var managing = Client(factory, manager);

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/api/v1/tokens"))).StatusCode);

        // 192.0.2.0/24 is outside 127.0.0.0/8: moving the list lets in addresses it did not, so it takes the owner's code.
        var moving = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/tokens/{restrictedId}/allowed-addresses")
        {
            Content = JsonContent.Create(new { allowedAddresses = new[] { "192.0.2.0/24" } }),
        };
        moving.Headers.Add("X-OTP", owner.CodeAt(factory.Time.GetUtcNow()));
        var narrowed = await managing.SendAsync(moving);
        Assert.Equal(HttpStatusCode.OK, narrowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Get("/api/v1/tokens"))).StatusCode);

        var bad = await managing.PutAsJsonAsync($"/api/v1/tokens/{restrictedId}/allowed-addresses", new { allowedAddresses = new[] { "10.0.0.1/8", "nonsense" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var messages = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("allowedAddresses").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains("the network is 10.0.0.0/8", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'nonsense' is not an IP address or network", StringComparison.Ordinal));

        // Removing the list lets in every address: that needs the owner's current code, like rotation.
        var withoutCode = await managing.PutAsJsonAsync($"/api/v1/tokens/{restrictedId}/allowed-addresses", new { allowedAddresses = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.Equal("code-required", (await withoutCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var opening = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/tokens/{restrictedId}/allowed-addresses")
        {
            Content = JsonContent.Create(new { allowedAddresses = Array.Empty<string>() }),
        };
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        opening.Headers.Add("X-OTP", owner.CodeAt(factory.Time.GetUtcNow()));
        var opened = await managing.SendAsync(opening);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Empty((await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowedAddresses").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/api/v1/tokens"))).StatusCode);
        Assert.Equal(2, await factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.TokenAllowedAddressesChanged)));
    }

    [Fact]
    public async Task ASpoofedForwardedForFromAnUntrustedPeerIsIgnored()
    {
        var factory = Start();
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "spoofer@example.com");
        var secret = await IssueAsync(factory, owner.Id, "partner only", "203.0.113.7");
        using var client = Client(factory, secret);

        var response = await client.SendAsync(Get("/api/v1/tokens", forwardedFor: "203.0.113.7"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("may not be used from 127.0.0.1", response.Headers.WwwAuthenticate.Single().Parameter);
    }

    [Fact]
    public async Task BehindATrustedProxyTheForwardedClientAddressDecidesAndIsTheLastUsedAddress()
    {
        var factory = Start(("Hosting:TrustedProxies:0", "127.0.0.1"));
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "proxied@example.com");
        var secret = await IssueAsync(factory, owner.Id, "partner range", "203.0.113.0/24");
        using var client = Client(factory, secret);

        var allowed = await client.SendAsync(Get("/api/v1/tokens", forwardedFor: "203.0.113.7"));
        var elsewhere = await client.SendAsync(Get("/api/v1/tokens", forwardedFor: "198.51.100.9"));
        // A client that puts its own X-Forwarded-For in front is still judged by what the proxy saw.
        var prepended = await client.SendAsync(Get("/api/v1/tokens", forwardedFor: "203.0.113.7, 198.51.100.9"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        Assert.Contains("may not be used from 198.51.100.9", elsewhere.Headers.WwwAuthenticate.Single().Parameter);
        Assert.Equal(HttpStatusCode.Unauthorized, prepended.StatusCode);
        await FlushAsync(factory);
        Assert.Equal("203.0.113.7", await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == "partner range").Select(t => t.LastUsedFrom).SingleAsync()));
    }

    [Fact]
    public async Task IssuanceTakesTheListAndRefusesMalformedEntriesClearly()
    {
        var factory = Start();
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "issuer-list@example.com");
        using var client = Client(factory, await IssueAsync(factory, owner.Id, "issuing"));

        async Task<HttpResponseMessage> IssueWithListAsync(object allowedAddresses)
        {
            factory.NextTotpStep();
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens")
            {
                Content = JsonContent.Create(new { name = $"listed {Guid.NewGuid():N}", api = "rest", days = 7, allowedAddresses }),
            };
            request.Headers.Add("X-OTP", owner.CodeAt(factory.Time.GetUtcNow()));
            return await client.SendAsync(request);
        }

        var tooMany = await IssueWithListAsync(Enumerable.Range(1, 21).Select(i => $"192.0.2.{i}").ToArray());
        var good = await IssueWithListAsync(new[] { "10.0.0.0/8", "2001:DB8::/32", "::ffff:192.0.2.1" });

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var problem = await tooMany.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TokenErrorCodes.TooManyAddresses, problem.GetProperty("code").GetString());
        Assert.Contains("at most 20", problem.GetProperty("errors").GetProperty("allowedAddresses")[0].GetString());
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        var issued = await good.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"], issued.GetProperty("token").GetProperty("allowedAddresses").EnumerateArray().Select(e => e.GetString()));
        using var listed = Client(factory, issued.GetProperty("secret").GetString()!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await listed.SendAsync(Get("/api/v1/tokens"))).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;

namespace AccessTokenPanel.Tests.Api.GraphQL;

/// <summary>
/// POST /api/graphql's rate limits over a real socket: the peer is 127.0.0.1, trusted as a proxy
/// here, so X-Forwarded-For gives each request the client address the test chooses. Each test has
/// addresses and callers of its own, so the tests do not spend each other's permits.
/// </summary>
public class GraphQLRateLimitTests(GraphQLRateLimitTests.LowLimitFactory factory) : IClassFixture<GraphQLRateLimitTests.LowLimitFactory>
{
    private const int Permits = 12;
    private const int CodePermits = 10;

    public class LowLimitFactory : ApiAppFactory
    {
        public LowLimitFactory()
        {
            Settings["RateLimiting:GraphQL:PermitLimit"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Settings["RateLimiting:GraphQL:Window"] = "00:10:00";
            Settings["RateLimiting:Credentials:PermitLimit"] = CodePermits.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Settings["RateLimiting:Credentials:Window"] = "00:10:00";
            Settings["Hosting:TrustedProxies:0"] = "127.0.0.1";
            StartKestrel();
        }
    }

    private static int _sequence;

    private async Task<HttpClient> CallerAsync() => (await CallerWithUserAsync()).Client;

    private async Task<(HttpClient Client, TestUser User)> CallerWithUserAsync()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"gql-limit-{Interlocked.Increment(ref _sequence)}@example.com");
        var client = factory.CreateClient(new() { BaseAddress = factory.ClientOptions.BaseAddress, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new("Bearer", await factory.IssueTokenAsync(user.Id, ApiType.Rest));
        return (client, user);
    }

    private static HttpRequestMessage Request(string query, string from, string? code = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/graphql") { Content = JsonContent.Create(new { query }) };
        request.Headers.Add("X-Forwarded-For", from);
        if (code is not null)
        {
            request.Headers.Add("X-OTP", code);
        }
        return request;
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0];

    [Fact]
    public async Task OneAddressGets429AfterThePermitLimitWhoeverIsCalling()
    {
        HttpClient[] callers = [await CallerAsync(), await CallerAsync()];
        var responses = new List<HttpResponseMessage>();

        // Alternating callers, so neither reaches its own limit: only the address's window is full.
        for (var i = 0; i <= Permits; i++)
        {
            responses.Add(await callers[i % 2].SendAsync(Request("{ me { email } }", from: "10.1.0.1")));
        }

        Assert.All(responses.Take(Permits), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var refused = responses[^1];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("RATE_LIMITED", (await ErrorAsync(refused)).GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("from your address", (await ErrorAsync(refused)).GetProperty("message").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await callers[0].SendAsync(Request("{ me { email } }", from: "10.1.0.2"))).StatusCode);
    }

    [Fact]
    public async Task OneCallerGets429AfterThePermitLimitFromWhateverAddress()
    {
        var caller = await CallerAsync();
        var responses = new List<HttpResponseMessage>();

        // A new address each time, so no address's window fills: only the caller's does.
        for (var i = 0; i <= Permits; i++)
        {
            responses.Add(await caller.SendAsync(Request("{ me { email } }", from: $"10.2.0.{i + 1}")));
        }

        Assert.All(responses.Take(Permits), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var refused = responses[^1];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("RATE_LIMITED", (await ErrorAsync(refused)).GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("for your account", (await ErrorAsync(refused)).GetProperty("message").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await (await CallerAsync()).SendAsync(Request("{ me { email } }", from: "10.2.1.1"))).StatusCode);
    }

    [Fact]
    public async Task TheCodeAttemptAfterTheCredentialsLimitFromOneAddressIs429()
    {
        var (caller, user) = await CallerWithUserAsync();
        var right = user.CodeAt(factory.Time.GetUtcNow());
        var wrong = Enumerable.Range(0, CodePermits + 2).Select(i => $"{i:D6}").Where(c => c != right).ToList();
        var mutation = $"mutation {{ updateAccessToken(expirationTime: {factory.Time.GetUtcNow().AddDays(7).ToUnixTimeSeconds()}) {{ sessionJwt }} }}";
        var responses = new List<HttpResponseMessage>();

        for (var i = 0; i <= CodePermits; i++)
        {
            responses.Add(await caller.SendAsync(Request(mutation, from: "10.3.0.1", code: wrong[i])));
        }

        // Each attempt within the limit is checked (and refused: wrong codes, then the lockout they cause).
        foreach (var answered in responses.Take(CodePermits))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            Assert.Contains((await ErrorAsync(answered)).GetProperty("extensions").GetProperty("code").GetString(), new[] { "CODE_INVALID", "LOCKED_OUT" });
        }
        var refused = responses[^1];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("RATE_LIMITED", (await ErrorAsync(refused)).GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("authentication code attempts", (await ErrorAsync(refused)).GetProperty("message").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Api.Rest;

/// <summary>
/// GET /api/v1/tokens/{id}/usage (and the Configuration API's twin) over a real socket: calls are
/// counted in memory, appear after a flush, and are still there after a restart on the same database.
/// </summary>
public sealed class TokenUsageApiTests : IAsyncLifetime
{
    private readonly List<ApiAppFactory> _factories = [];
    // A database outside the factories' own folders (which they delete when disposed), for a restart.
    private readonly string _folder = Directory.CreateTempSubdirectory("atp-usage-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    private ApiAppFactory Start(string? databasePath = null, DateTimeOffset? now = null)
    {
        var factory = new ApiAppFactory();
        // Flushed by the tests themselves (or at shutdown), so counts are exact.
        factory.Settings["Api:TokenUsage:FlushInterval"] = "01:00:00";
        if (databasePath is not null)
        {
            factory.Settings["Database:ConnectionString"] = $"Data Source={databasePath};Pooling=False";
        }
        if (now is { } instant)
        {
            factory.Time.SetUtcNow(instant);
        }
        _factories.Add(factory);
        factory.StartKestrel();
        return factory;
    }

    private static HttpClient Client(ApiAppFactory factory, string? secret)
    {
        var client = factory.CreateClient(new() { BaseAddress = factory.ClientOptions.BaseAddress, HandleCookies = false });
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        }
        return client;
    }

    private static Task FlushAsync(ApiAppFactory factory) => factory.Services.GetRequiredService<TokenUsageFlusher>().FlushAsync();

    private static Task<Guid> IdOfAsync(ApiAppFactory factory, string name) =>
        factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == name).Select(t => t.Id).SingleAsync());

    private static async Task<JsonElement> UsageAsync(HttpClient reader, Guid tokenId, string prefix = "/api/v1")
    {
        var response = await reader.GetAsync($"{prefix}/tokens/{tokenId}/usage");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static long RequestsOn(JsonElement usage, DateTimeOffset day) =>
        usage.GetProperty("days").EnumerateArray()
            .Single(d => d.GetProperty("date").GetString() == day.UtcDateTime.ToString("yyyy-MM-dd")).GetProperty("requests").GetInt64();

    [Fact]
    public async Task UsageCountsAfterAFlushAndARestart()
    {
        var databasePath = Path.Combine(_folder, "restarted.db");
        var first = Start(databasePath);
        var owner = await TestUsers.CreateEnrolledUserAsync(first.Services, "counted@example.com");
        var used = await first.IssueTokenAsync(owner.Id, ApiType.Rest, name: "nightly export");
        var reader = await first.IssueTokenAsync(owner.Id, ApiType.Rest, name: "reader");
        var usedId = await IdOfAsync(first, "nightly export");
        var day1 = first.Time.GetUtcNow();
        using (var client = Client(first, used))
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tokens/current")).StatusCode);
            }
            first.Time.Advance(TimeSpan.FromDays(1));
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tokens/current")).StatusCode);
            }
        }
        var day2 = first.Time.GetUtcNow();

        // Counted in memory: nothing stored before the flush.
        using (var readerClient = Client(first, reader))
        {
            Assert.Equal(0, (await UsageAsync(readerClient, usedId)).GetProperty("totalRequests").GetInt64());
            await FlushAsync(first);
            var usage = await UsageAsync(readerClient, usedId);
            Assert.Equal(5, usage.GetProperty("totalRequests").GetInt64());
            Assert.Equal(3, RequestsOn(usage, day1));
            Assert.Equal(2, RequestsOn(usage, day2));
            Assert.Equal(90, usage.GetProperty("days").GetArrayLength());
            Assert.Equal(day2.UtcDateTime.ToString("yyyy-MM-dd"), usage.GetProperty("to").GetString());
            Assert.Equal(day2.UtcDateTime.AddDays(-89).ToString("yyyy-MM-dd"), usage.GetProperty("from").GetString());
            var address = Assert.Single(usage.GetProperty("recentAddresses").EnumerateArray());
            Assert.Equal("127.0.0.1", address.GetProperty("address").GetString());
            Assert.Equal(day2.UtcDateTime, address.GetProperty("lastSeenAt").GetDateTime().ToUniversalTime());
            Assert.Equal(3600, usage.GetProperty("updatedEverySeconds").GetInt32());
            Assert.Empty(usage.GetProperty("refusals").EnumerateArray());
        }

        // One more call, not flushed by hand: the shutdown flush writes it.
        using (var client = Client(first, used))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tokens")).StatusCode);
        }
        await first.DisposeAsync();
        _factories.Remove(first);

        var second = Start(databasePath, day2);
        using var afterRestart = Client(second, reader);
        var restarted = await UsageAsync(afterRestart, usedId);
        Assert.Equal(6, restarted.GetProperty("totalRequests").GetInt64());
        Assert.Equal(3, RequestsOn(restarted, day1));
        Assert.Equal(3, RequestsOn(restarted, day2));
    }

    [Fact]
    public async Task RefusedCallsAreCountedByReason()
    {
        var factory = Start();
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "refused@example.com");
        var shortLived = await factory.IssueTokenAsync(owner.Id, ApiType.Rest, days: 1, name: "short lived");
        var revoked = await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "revoked");
        var reader = await factory.IssueTokenAsync(owner.Id, ApiType.Rest, days: 30, name: "reader");
        using var readerClient = Client(factory, reader);
        var revokedId = await IdOfAsync(factory, "revoked");
        Assert.Equal(HttpStatusCode.NoContent, (await readerClient.DeleteAsync($"/api/v1/tokens/{revokedId}")).StatusCode);

        factory.Time.Advance(TimeSpan.FromDays(2));
        using (var expiredClient = Client(factory, shortLived))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await expiredClient.GetAsync("/api/v1/tokens")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await expiredClient.GetAsync("/api/v1/tokens")).StatusCode);
        }
        using (var revokedClient = Client(factory, revoked))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await revokedClient.GetAsync("/api/v1/tokens")).StatusCode);
        }
        await FlushAsync(factory);

        var expiredUsage = await UsageAsync(readerClient, await IdOfAsync(factory, "short lived"));
        var refusal = Assert.Single(expiredUsage.GetProperty("refusals").EnumerateArray());
        Assert.Equal("expired", refusal.GetProperty("reason").GetString());
        Assert.Equal(2, refusal.GetProperty("count").GetInt64());
        Assert.Equal(0, expiredUsage.GetProperty("totalRequests").GetInt64());
        var revokedUsage = await UsageAsync(readerClient, revokedId);
        Assert.Equal("revoked", Assert.Single(revokedUsage.GetProperty("refusals").EnumerateArray()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task SomeoneElsesTokenIsNotFoundAndACallWithoutATokenIsChallenged()
    {
        var factory = Start();
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "mine@example.com");
        var stranger = await TestUsers.CreateEnrolledUserAsync(factory.Services, "theirs@example.com", PanelRoles.SuperAdministrator);
        var mine = await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "mine");
        await factory.IssueTokenAsync(stranger.Id, ApiType.Rest, name: "theirs");
        var theirsId = await IdOfAsync(factory, "theirs");

        using var client = Client(factory, mine);
        var notFound = await client.GetAsync($"/api/v1/tokens/{theirsId}/usage");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType?.MediaType);
        var problem = await notFound.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("not-found", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/tokens/{Guid.NewGuid()}/usage")).StatusCode);

        using var anonymous = Client(factory, null);
        var challenged = await anonymous.GetAsync($"/api/v1/tokens/{theirsId}/usage");
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.Equal("Bearer", Assert.Single(challenged.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task AConfigurationTokenWithTheInventoryPermissionSeesAnyTokensUsage()
    {
        var factory = Start();
        var admin = await TestUsers.CreateEnrolledUserAsync(factory.Services, "inventory@example.com", PanelRoles.SuperAdministrator);
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "someone@example.com");
        var theirs = await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "someone's");
        using (var client = Client(factory, theirs))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tokens")).StatusCode);
        }
        await FlushAsync(factory);
        var theirsId = await IdOfAsync(factory, "someone's");

        var inventory = await factory.IssueTokenAsync(admin.Id, ApiType.Configuration, PanelRoles.TokenPolicyAdministrator);
        using var inventoryClient = Client(factory, inventory);
        Assert.Equal(1, (await UsageAsync(inventoryClient, theirsId, "/api/config/v1")).GetProperty("totalRequests").GetInt64());

        var readOnly = await factory.IssueTokenAsync(admin.Id, ApiType.Configuration, PanelRoles.ReadOnly);
        using var readOnlyClient = Client(factory, readOnly);
        Assert.Equal(HttpStatusCode.NotFound, (await readOnlyClient.GetAsync($"/api/config/v1/tokens/{theirsId}/usage")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AccessTokenPanel.Tests.Api.OAuth.OAuthClient;

namespace AccessTokenPanel.Tests.Api.OAuth;

/// <summary>POST /api/v1/oauth/token: RFC 6749 §6 refresh_token grant over real HTTP.</summary>
public class TokenEndpointTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private static int _sequence;

    private async Task<TestUser> UserAsync(params string[] roles) =>
        await TestUsers.CreateEnrolledUserAsync(factory.Services, $"oauth-{Interlocked.Increment(ref _sequence)}@example.com", roles);

    private async Task<AccessToken> StoredAsync(string secret)
    {
        var hash = TokenSecret.Hash(secret);
        return await factory.WithDbAsync(db => db.AccessTokens.AsNoTracking().SingleAsync(t => t.SecretHash == hash));
    }

    [Fact]
    public async Task AScreenTokenIsExchangedForAnHourLongAccessTokenThatCallsTheApi()
    {
        var user = await UserAsync();
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);

        var response = await ExchangeAsync(factory.CreateClient(), refresh);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt64());
        var access = body.GetProperty("access_token").GetString()!;
        Assert.NotEqual(refresh, access);
        Assert.StartsWith("atp_rest_", access);

        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(access).GetAsync("/api/v1/tokens")).StatusCode);
        var derived = await StoredAsync(access);
        var parent = await StoredAsync(refresh);
        Assert.Equal(TokenKind.Access, derived.Kind);
        Assert.Equal(parent.Id, derived.ParentTokenId);
        Assert.Equal(ApiType.Rest, derived.ApiType);
        Assert.Equal(factory.Time.GetUtcNow().UtcDateTime.AddHours(1), derived.ExpiresAt);
    }

    [Fact]
    public async Task TheAccessTokenKeepsTheApiAndTheDelegatedRole()
    {
        var user = await UserAsync(PanelRoles.SuperAdministrator);
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Configuration, PanelRoles.ReadOnly);

        var access = await AccessTokenAsync(factory.CreateClient(), refresh);
        var client = factory.ClientWith(access);

        Assert.StartsWith("atp_cfg_", access);
        Assert.Equal(PanelRoles.ReadOnly, (await StoredAsync(access)).DelegatedRole);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/config/v1/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchAsJsonAsync("/api/config/v1/settings", new { organizationName = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task TheAccessTokenNeverOutlivesItsParent()
    {
        var user = await UserAsync();
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest, days: 1);
        var parent = await StoredAsync(refresh);
        factory.Time.Advance(TimeSpan.FromHours(23.5));
        try
        {
            var response = await ExchangeAsync(factory.CreateClient(), refresh);

            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(1800, body.GetProperty("expires_in").GetInt64());
            Assert.Equal(parent.ExpiresAt, (await StoredAsync(body.GetProperty("access_token").GetString()!)).ExpiresAt);
        }
        finally
        {
            // FakeTimeProvider only moves forward; the class's other tests use times relative to now.
        }
    }

    [Fact]
    public async Task RevokingTheParentOnTheScreenRefusesTheDerivedTokenOnTheNextCall()
    {
        var user = await UserAsync();
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        var access = await AccessTokenAsync(factory.CreateClient(), refresh);
        var client = factory.ClientWith(access);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tokens")).StatusCode);

        await using (var scope = factory.Scope())
        {
            Assert.Equal(RevokeOutcome.Revoked, await scope.ServiceProvider.RevokeAsAsync((await StoredAsync(refresh)).Id, user.Id));
        }
        var after = await client.GetAsync("/api/v1/tokens");

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("error=\"invalid_token\"", after.Headers.WwwAuthenticate.ToString());
        Assert.Contains("revoked", after.Headers.WwwAuthenticate.ToString());
        Assert.Equal("invalid_grant", (await ErrorOf(await ExchangeAsync(factory.CreateClient(), refresh))).Error);
    }

    [Fact]
    public async Task AnAccessTokenCannotBeExchangedAgain()
    {
        var user = await UserAsync();
        var access = await AccessTokenAsync(factory.CreateClient(), await factory.IssueTokenAsync(user.Id, ApiType.Rest));

        var response = await ExchangeAsync(factory.CreateClient(), access);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (error, description) = await ErrorOf(response);
        Assert.Equal("invalid_grant", error);
        Assert.Contains("cannot be exchanged again", description);
    }

    [Fact]
    public async Task UnknownExpiredAndMalformedRefreshTokensAreInvalidGrants()
    {
        var user = await UserAsync();
        var expiring = await factory.IssueTokenAsync(user.Id, ApiType.Rest, days: 1);
        var unknown = TokenSecret.Generate(ApiType.Rest);
        var mistyped = unknown[..^1] + (unknown[^1] == 'a' ? 'b' : 'a');
        var client = factory.CreateClient();

        var responses = new List<HttpResponseMessage>
        {
            await ExchangeAsync(client, unknown),
            await ExchangeAsync(client, mistyped),
            await ExchangeAsync(client, "not-a-token"),
        };
        factory.Time.Advance(TimeSpan.FromDays(1));
        try
        {
            responses.Add(await ExchangeAsync(client, expiring));
        }
        finally
        {
            // FakeTimeProvider only moves forward; the class's other tests use times relative to now.
        }

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Equal("invalid_grant", (await ErrorOf(response)).Error);
        }
        Assert.Contains("expired", (await ErrorOf(responses[^1])).Description);
    }

    [Fact]
    public async Task EveryMalformedRequestHasItsRfc6749ErrorCode()
    {
        var user = await UserAsync();
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        var client = factory.CreateClient();

        var password = await PostFormAsync(client, "/api/v1/oauth/token", ("grant_type", "password"), ("username", "a"), ("password", "b"));
        var noGrant = await PostFormAsync(client, "/api/v1/oauth/token", ("refresh_token", refresh));
        var noToken = await PostFormAsync(client, "/api/v1/oauth/token", ("grant_type", "refresh_token"));
        var twice = await PostFormAsync(client, "/api/v1/oauth/token", ("grant_type", "refresh_token"), ("refresh_token", refresh), ("refresh_token", refresh));
        var json = await client.PostAsJsonAsync("/api/v1/oauth/token", new { grant_type = "refresh_token", refresh_token = refresh });
        var scope = await PostFormAsync(client, "/api/v1/oauth/token", ("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", "admin"));
        var withClientCredentials = new HttpRequestMessage(HttpMethod.Post, "/api/v1/oauth/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refresh)]),
        };
        withClientCredentials.Headers.Authorization = new AuthenticationHeaderValue("Basic", "Y2xpZW50OnNlY3JldA==");
        var clientAuth = await client.SendAsync(withClientCredentials);

        Assert.Equal((HttpStatusCode.BadRequest, "unsupported_grant_type"), (password.StatusCode, (await ErrorOf(password)).Error));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (noGrant.StatusCode, (await ErrorOf(noGrant)).Error));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (noToken.StatusCode, (await ErrorOf(noToken)).Error));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (twice.StatusCode, (await ErrorOf(twice)).Error));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (json.StatusCode, (await ErrorOf(json)).Error));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_scope"), (scope.StatusCode, (await ErrorOf(scope)).Error));
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_client"), (clientAuth.StatusCode, (await ErrorOf(clientAuth)).Error));
        Assert.Equal("Basic", Assert.Single(clientAuth.Headers.WwwAuthenticate).Scheme);
        // None of them issued anything.
        Assert.Equal(1, await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.OwnerId == user.Id)));
    }

    [Fact]
    public async Task DerivedTokensAreSummarisedUnderTheirParentAndListedWithTheirKind()
    {
        var user = await UserAsync();
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        var parentId = (await StoredAsync(refresh)).Id;
        var first = await AccessTokenAsync(factory.CreateClient(), refresh);
        factory.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await AccessTokenAsync(factory.CreateClient(), refresh);
        await PostFormAsync(factory.CreateClient(), "/api/v1/oauth/revoke", ("token", first));

        await using var scope = factory.Scope();
        var summaries = await scope.ServiceProvider.GetRequiredService<DerivedTokenSummaries>().ForParentsAsync([parentId]);
        var listed = await (await factory.ClientWith(second).GetAsync("/api/v1/tokens")).Content.ReadFromJsonAsync<JsonElement>();

        var summary = summaries[parentId];
        Assert.Equal(1, summary.ActiveCount);
        Assert.Equal((await StoredAsync(second)).ExpiresAt, summary.LatestExpiresAt);
        Assert.Equal(["access", "access", "standard"], listed.EnumerateArray().Select(t => t.GetProperty("kind").GetString()).Order());
    }

    [Fact]
    public async Task TheRestTokenListCanLeaveTheAccessTokensOutOrListOnlyThem()
    {
        var user = await UserAsync();
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        var access = await AccessTokenAsync(factory.CreateClient(), refresh);
        await AccessTokenAsync(factory.CreateClient(), refresh);
        var client = factory.ClientWith(access);

        async Task<string[]> KindsAsync(string query) =>
            (await (await client.GetAsync("/api/v1/tokens" + query)).Content.ReadFromJsonAsync<JsonElement>())
                .EnumerateArray().Select(t => t.GetProperty("kind").GetString()!).Order().ToArray();

        Assert.Equal(["access", "access", "standard"], await KindsAsync(""));
        Assert.Equal(["standard"], await KindsAsync("?kind=standard"));
        Assert.Equal(["access", "access"], await KindsAsync("?kind=ACCESS"));
        var bad = await client.GetAsync("/api/v1/tokens?kind=refresh");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Set kind to standard or access", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ADisabledOwnersTokenIsNotExchanged()
    {
        var user = await UserAsync();
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true)));

        var response = await ExchangeAsync(factory.CreateClient(), refresh);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await ErrorOf(response)).Error);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api.Rest;

/// <summary>POST/GET /api/v1/user-token: credentials plus a second factor buy a 24-hour REST token.</summary>
public class UserTokenApiTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private HttpRequestMessage CreateRequest(string email, string password, string? code)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/user-token");
        request.Headers.Authorization = ApiAppFactory.Basic(email, password);
        if (code is not null)
        {
            request.Headers.Add("X-OTP", code);
        }
        return request;
    }

    private async Task<HttpResponseMessage> CreateAsync(TestUser user, string? password = null, string? code = null)
    {
        factory.NextTotpStep();
        return await factory.CreateClient().SendAsync(CreateRequest(user.Email, password ?? user.Password, code ?? user.CodeAt(factory.Time.GetUtcNow())));
    }

    [Fact]
    public async Task GoodPasswordAndCodeGiveATwentyFourHourRestToken()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "cli-user@example.com");

        var response = await CreateAsync(user);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("user-token").GetString()!;
        Assert.StartsWith("atp_rest_", secret);
        Assert.Equal(factory.Time.GetUtcNow().UtcDateTime.AddHours(24), body.GetProperty("expires").GetDateTime());
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(secret).GetAsync("/api/v1/tokens")).StatusCode);
        var stored = await factory.WithDbAsync(db => db.AccessTokens.SingleAsync(t => t.OwnerId == user.Id));
        Assert.Equal(ApiType.Rest, stored.ApiType);
        Assert.StartsWith("user-token 2026-11-22T", stored.Name);
    }

    [Fact]
    public async Task WrongPasswordIs401WithABasicChallengeAndIssuesNothing()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "wrong-password@example.com");

        var response = await CreateAsync(user, password: "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(await factory.WithDbAsync(db => db.AccessTokens.AnyAsync(t => t.OwnerId == user.Id)));
    }

    [Fact]
    public async Task UnknownUserIs401()
    {
        var response = await factory.CreateClient().SendAsync(CreateRequest("nobody@example.com", "whatever", "123456"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task MissingOrWrongCodeIs401AndIssuesNothing()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "wrong-code@example.com");
        var right = user.CodeAt(factory.Time.GetUtcNow());
        var wrong = right == "000000" ? "111111" : "000000";

        var missing = await factory.CreateClient().SendAsync(CreateRequest(user.Email, user.Password, null));
        var invalid = await CreateAsync(user, code: wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("code-required", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Equal("code-invalid", (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.False(await factory.WithDbAsync(db => db.AccessTokens.AnyAsync(t => t.OwnerId == user.Id)));
    }

    [Fact]
    public async Task ReplayedCodeIsRefused()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "replay-user-token@example.com");
        factory.NextTotpStep();
        var code = user.CodeAt(factory.Time.GetUtcNow());

        var first = await factory.CreateClient().SendAsync(CreateRequest(user.Email, user.Password, code));
        var replay = await factory.CreateClient().SendAsync(CreateRequest(user.Email, user.Password, code));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("code-replayed", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(1, await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.OwnerId == user.Id)));
    }

    [Fact]
    public async Task RepeatedWrongPasswordsLockTheAccountWith429()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "lockout@example.com");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await CreateAsync(user, password: "wrong-" + i)).StatusCode);
        }
        var withRightPassword = await CreateAsync(user);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, withRightPassword.StatusCode);
        Assert.Equal("locked-out", (await withRightPassword.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task RepeatedWrongCodesLockTheAccountEvenWithTheRightPassword()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "code-guesser@example.com");
        var right = user.CodeAt(factory.Time.GetUtcNow());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var guess = ((int.Parse(right) + 1 + i) % 1_000_000).ToString("D6");
            statuses.Add((await CreateAsync(user, code: guess)).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await CreateAsync(user)).StatusCode);
    }

    [Fact]
    public async Task DisabledUserGetsNoToken()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "disabled-cli@example.com");
        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true)));

        var response = await CreateAsync(user);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.AccessTokens.AnyAsync(t => t.OwnerId == user.Id)));
    }

    [Fact]
    public async Task InfoDescribesTheTokenByQueryOrBodyForItsOwnerOnly()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "info@example.com");
        var secret = (await (await CreateAsync(user)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user-token").GetString()!;
        var stranger = await TestUsers.CreateEnrolledUserAsync(factory.Services, "stranger@example.com");

        var byQuery = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/user-token?token={secret}");
        byQuery.Headers.Authorization = ApiAppFactory.Basic(user.Email, user.Password);
        var byJson = new HttpRequestMessage(HttpMethod.Post, "/api/v1/user-token/info") { Content = JsonContent.Create(new { token = secret }) };
        byJson.Headers.Authorization = ApiAppFactory.Basic(user.Email, user.Password);
        var byForm = new HttpRequestMessage(HttpMethod.Post, "/api/v1/user-token/info")
        {
            Content = new FormUrlEncodedContent([new("token", secret)]),
        };
        byForm.Headers.Authorization = ApiAppFactory.Basic(user.Email, user.Password);
        var asStranger = new HttpRequestMessage(HttpMethod.Post, "/api/v1/user-token/info") { Content = JsonContent.Create(new { token = secret }) };
        asStranger.Headers.Authorization = ApiAppFactory.Basic(stranger.Email, stranger.Password);
        var withoutCredentials = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/user-token?token={secret}");

        var client = factory.CreateClient();
        foreach (var response in new[] { await client.SendAsync(byQuery), await client.SendAsync(byJson), await client.SendAsync(byForm) })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var info = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("info@example.com", info.GetProperty("user").GetString());
            Assert.Equal("info@example.com", info.GetProperty("email").GetString());
            Assert.Equal("AccessTokenPanel", info.GetProperty("organization_name").GetString());
            var expires = factory.Time.GetUtcNow().UtcDateTime.AddHours(24);
            // The monitoring reference's form, so its clients parse it unchanged; ISO 8601 beside it.
            Assert.Equal(expires.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), info.GetProperty("expire_time").GetString());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", info.GetProperty("expire_time").GetString());
            Assert.Equal(expires, info.GetProperty("expires_at").GetDateTime());
            Assert.EndsWith("Z", info.GetProperty("expires_at").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(asStranger)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(withoutCredentials)).StatusCode);
    }

    [Fact]
    public async Task InfoWithAnUnreadableBodyIsAProblem()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "info-bad@example.com");
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = ApiAppFactory.Basic(user.Email, user.Password);

        var badJson = await client.PostAsync("/api/v1/user-token/info", new StringContent("{\"token\":", System.Text.Encoding.UTF8, "application/json"));
        var plain = await client.PostAsync("/api/v1/user-token/info", new StringContent("atp_rest_x", System.Text.Encoding.UTF8, "text/plain"));
        var malformed = await client.PostAsJsonAsync("/api/v1/user-token/info", new { token = "atp_rest_short" });

        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.All(new[] { badJson, plain, malformed }, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
    }
}

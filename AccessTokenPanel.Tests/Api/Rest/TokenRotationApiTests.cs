using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api.Rest;

/// <summary>
/// POST /api/v1/tokens/{id}/rotate over real HTTP: a new secret at once, the old one until the end
/// of the overlap (the app's clock is moved), and a refusal for everything that may not rotate.
/// </summary>
public class TokenRotationApiTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private async Task<(TestUser Owner, string Secret, Guid TokenId)> OwnerWithTokenAsync(string email, params string[] roles)
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, email, roles);
        var secret = await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "deploy");
        var id = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == owner.Id && t.Name == "deploy").Select(t => t.Id).SingleAsync());
        return (owner, secret, id);
    }

    private HttpRequestMessage Rotate(Guid id, object? body, string? code)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tokens/{id}/rotate") { Content = JsonContent.Create(body) };
        if (code is not null)
        {
            request.Headers.Add("X-OTP", code);
        }
        return request;
    }

    private string FreshCode(TestUser user)
    {
        factory.NextTotpStep();
        return user.CodeAt(factory.Time.GetUtcNow());
    }

    private async Task<HttpStatusCode> StatusWithAsync(string secret) =>
        (await factory.ClientWith(secret).GetAsync("/api/v1/tokens/current")).StatusCode;

    [Fact]
    public async Task TheOldSecretWorksUntilTheOverlapEndsAndIsRefusedFromThatInstant()
    {
        var (owner, oldSecret, oldId) = await OwnerWithTokenAsync("rotator@example.com");
        var client = factory.ClientWith(oldSecret);

        var response = await client.SendAsync(Rotate(oldId, new { overlapMinutes = 60 }, FreshCode(owner)));
        var rotatedAt = factory.Time.GetUtcNow();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = body.GetProperty("secret").GetString()!;
        var newToken = body.GetProperty("token");
        Assert.StartsWith("atp_rest_", newSecret);
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal("deploy", newToken.GetProperty("name").GetString());
        Assert.Equal("rest", newToken.GetProperty("api").GetString());
        Assert.NotEqual(oldId.ToString(), newToken.GetProperty("id").GetString());
        Assert.Equal($"/api/v1/tokens/{newToken.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        // The original lived 30 days: so does its replacement, counted from the rotation.
        Assert.Equal(rotatedAt.UtcDateTime.AddDays(30), newToken.GetProperty("expiresAt").GetDateTime());

        // Both work during the overlap, and the old one says what became of it.
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(newSecret));
        var old = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tokens/{oldId}");
        Assert.Equal(rotatedAt.UtcDateTime.AddMinutes(60), old.GetProperty("expiresAt").GetDateTime());
        Assert.Equal(newToken.GetProperty("id").GetString(), old.GetProperty("replacedByTokenId").GetString());
        Assert.Equal(rotatedAt.UtcDateTime, old.GetProperty("rotatedAt").GetDateTime());

        factory.Time.Advance(TimeSpan.FromMinutes(60) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(oldSecret));

        factory.Time.Advance(TimeSpan.FromSeconds(1));
        var refused = await factory.ClientWith(oldSecret).GetAsync("/api/v1/tokens/current");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("error=\"invalid_token\"", refused.Headers.WwwAuthenticate.Single().Parameter);
        Assert.Contains("rotated", refused.Headers.WwwAuthenticate.Single().Parameter);
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(newSecret));
    }

    [Fact]
    public async Task WithoutOverlapTheOldSecretIsRefusedAtOnce()
    {
        var (owner, oldSecret, oldId) = await OwnerWithTokenAsync("no-overlap@example.com");

        var response = await factory.ClientWith(oldSecret).SendAsync(Rotate(oldId, new { overlapMinutes = 0 }, FreshCode(owner)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(oldSecret));
        var newSecret = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(newSecret));
    }

    [Fact]
    public async Task SomeoneElsesTokenIsNotFoundAndKeepsWorking()
    {
        var (_, victimSecret, victimId) = await OwnerWithTokenAsync("rotation-victim@example.com");
        var (nosy, nosySecret, _) = await OwnerWithTokenAsync("rotation-nosy@example.com", PanelRoles.SuperAdministrator);

        // Even a Super Administrator's REST token manages only its owner's tokens.
        var response = await factory.ClientWith(nosySecret).SendAsync(Rotate(victimId, new { overlapMinutes = 0 }, FreshCode(nosy)));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(victimSecret));
        Assert.Null(await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Id == victimId).Select(t => t.RotatedAt).SingleAsync()));
    }

    [Fact]
    public async Task WithoutACodeNothingIsRotated()
    {
        var (owner, secret, id) = await OwnerWithTokenAsync("rotation-no-code@example.com");

        var response = await factory.ClientWith(secret).SendAsync(Rotate(id, new { overlapMinutes = 60 }, code: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("code-required", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(1, await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.OwnerId == owner.Id)));
        Assert.Null(await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Id == id).Select(t => t.RotatedAt).SingleAsync()));
    }

    [Fact]
    public async Task AReplayedCodeIsRefused()
    {
        var (owner, secret, id) = await OwnerWithTokenAsync("rotation-replay@example.com");
        var second = await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "second");
        var secondId = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == owner.Id && t.Name == "second").Select(t => t.Id).SingleAsync());
        var code = FreshCode(owner);

        var first = await factory.ClientWith(secret).SendAsync(Rotate(id, new { overlapMinutes = 60 }, code));
        var replay = await factory.ClientWith(second).SendAsync(Rotate(secondId, new { overlapMinutes = 60 }, code));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("code-replayed", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Null(await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Id == secondId).Select(t => t.RotatedAt).SingleAsync()));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10081)]
    [InlineData(null)]
    public async Task AnOverlapOutsideZeroToSevenDaysIsABadRequestThatKeepsTheCode(int? overlap)
    {
        var (owner, secret, id) = await OwnerWithTokenAsync($"overlap-{overlap?.ToString() ?? "missing"}@example.com");
        var code = FreshCode(owner);

        var response = await factory.ClientWith(secret).SendAsync(Rotate(id, new { overlapMinutes = overlap }, code));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TokenErrorCodes.OverlapOutOfRange, problem.GetProperty("code").GetString());
        Assert.Contains("10080", problem.GetProperty("errors").GetProperty("overlapMinutes")[0].GetString());
        // The code was not spent on a request that could not succeed.
        Assert.Equal(HttpStatusCode.Created, (await factory.ClientWith(secret).SendAsync(Rotate(id, new { overlapMinutes = 10080 }, code))).StatusCode);
    }

    [Fact]
    public async Task ARotatingOrRevokedTokenCannotBeRotated()
    {
        var (owner, secret, id) = await OwnerWithTokenAsync("rotate-twice@example.com");
        var client = factory.ClientWith(secret);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Rotate(id, new { overlapMinutes = 60 }, FreshCode(owner)))).StatusCode);

        var again = await client.SendAsync(Rotate(id, new { overlapMinutes = 60 }, FreshCode(owner)));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TokenErrorCodes.TokenNotRotatable, problem.GetProperty("code").GetString());
        Assert.Contains("already being rotated", problem.GetProperty("detail").GetString());

        await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "revoked");
        var revokedId = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == owner.Id && t.Name == "revoked").Select(t => t.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/tokens/{revokedId}")).StatusCode);
        var revoked = await client.SendAsync(Rotate(revokedId, new { overlapMinutes = 0 }, FreshCode(owner)));
        Assert.Equal(HttpStatusCode.Conflict, revoked.StatusCode);
        Assert.Contains("deleted", (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RotationIsAuditedWithTheOverlap()
    {
        var (owner, secret, id) = await OwnerWithTokenAsync("rotation-audit@example.com");

        var response = await factory.ClientWith(secret).SendAsync(Rotate(id, new { overlapMinutes = 1440 }, FreshCode(owner)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var newId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetProperty("id").GetString();
        var entry = await factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.TokenRotated && e.SubjectId == id.ToString()));
        Assert.Equal(owner.Id, entry.ActorId);
        Assert.Contains("overlap 1440 minutes", entry.Details);
        Assert.Contains(newId!, entry.Details);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenCreated && e.SubjectId == newId)));
    }

    [Fact]
    public async Task AccessTokensExchangedForTheOldTokenStopWithIt()
    {
        var (owner, secret, id) = await OwnerWithTokenAsync("rotation-derived@example.com");
        var exchanged = await factory.CreateClient().PostAsync("/api/v1/oauth/token",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = secret }));
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        var accessToken = (await exchanged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(accessToken));

        var rotated = await factory.ClientWith(secret).SendAsync(Rotate(id, new { overlapMinutes = 0 }, FreshCode(owner)));

        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(accessToken));
    }
}

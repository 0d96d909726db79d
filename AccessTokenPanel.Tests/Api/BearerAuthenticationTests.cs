using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Api;

/// <summary>The bearer scheme's refusals (RFC 6750) and what a valid token's principal may do.</summary>
public class BearerAuthenticationTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private const string RestProbe = "/api/v1/tokens";

    private async Task<(TestUser Owner, string Secret)> RestTokenAsync(string email, int days = 30)
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, email);
        return (owner, await factory.IssueTokenAsync(owner.Id, ApiType.Rest, days: days));
    }

    private static async Task<string> AssertInvalidTokenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return challenge.Parameter!;
    }

    [Fact]
    public async Task MissingHeaderGetsAChallengeWithoutAnErrorCode()
    {
        var response = await factory.CreateClient().GetAsync(RestProbe);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.DoesNotContain("error=", challenge.Parameter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BasicCredentialsOnATokenEndpointGetTheBearerChallenge()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = ApiAppFactory.Basic("someone@example.com", "whatever");

        var response = await client.GetAsync(RestProbe);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task MalformedTokenIsRefused()
    {
        var parameter = await AssertInvalidTokenAsync(await factory.ClientWith("not-a-token").GetAsync(RestProbe));
        Assert.Contains("malformed", parameter);
    }

    [Fact]
    public async Task TokenWithABrokenChecksumIsRefused()
    {
        var (_, secret) = await RestTokenAsync("checksum@example.com");
        var broken = secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');

        var parameter = await AssertInvalidTokenAsync(await factory.ClientWith(broken).GetAsync(RestProbe));

        Assert.Contains("checksum", parameter);
    }

    [Fact]
    public async Task WellFormedButUnknownTokenIsRefused()
    {
        var parameter = await AssertInvalidTokenAsync(await factory.ClientWith(TokenSecret.Generate(ApiType.Rest)).GetAsync(RestProbe));
        Assert.Contains("not known", parameter);
    }

    [Fact]
    public async Task ExpiredTokenIsRefused()
    {
        var (_, secret) = await RestTokenAsync("expiring@example.com", days: 1);
        var client = factory.ClientWith(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(RestProbe)).StatusCode);

        factory.Time.Advance(TimeSpan.FromDays(1));

        var parameter = await AssertInvalidTokenAsync(await client.GetAsync(RestProbe));
        Assert.Contains("expired", parameter);
    }

    [Fact]
    public async Task RevokedTokenIsRefusedOnTheVeryNextRequest()
    {
        var (owner, secret) = await RestTokenAsync("revoked@example.com");
        var client = factory.ClientWith(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(RestProbe)).StatusCode);

        await using (var scope = factory.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
            var id = await db.AccessTokens.Where(t => t.OwnerId == owner.Id).Select(t => t.Id).SingleAsync();
            Assert.Equal(RevokeOutcome.Revoked, await scope.ServiceProvider.RevokeAsAsync(id, owner.Id));
        }

        var parameter = await AssertInvalidTokenAsync(await client.GetAsync(RestProbe));
        Assert.Contains("revoked", parameter);
    }

    [Fact]
    public async Task DisabledOwnersTokenIsRefused()
    {
        var (owner, secret) = await RestTokenAsync("disabled-owner@example.com");
        var client = factory.ClientWith(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(RestProbe)).StatusCode);

        await using (var scope = factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            var user = (await users.FindByIdAsync(owner.Id))!;
            user.IsDisabled = true;
            Assert.True((await users.UpdateAsync(user)).Succeeded);
        }

        var parameter = await AssertInvalidTokenAsync(await client.GetAsync(RestProbe));
        Assert.Contains("disabled", parameter);
    }

    [Fact]
    public async Task ConfigurationTokenLosesWhatItsOwnerLost()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "demoted@example.com", PanelRoles.UserAdministrator);
        var secret = await factory.IssueTokenAsync(owner.Id, ApiType.Configuration, PanelRoles.UserAdministrator);
        var client = factory.ClientWith(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/config/v1/users")).StatusCode);

        await using (var scope = factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            Assert.True((await users.RemoveFromRoleAsync((await users.FindByIdAsync(owner.Id))!, PanelRoles.UserAdministrator)).Succeeded);
        }

        var response = await client.GetAsync("/api/config/v1/users");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Contains("error=\"insufficient_scope\"", challenge.Parameter);
        Assert.Contains("scope=\"users.read\"", challenge.Parameter);
    }

    [Fact]
    public async Task ScimTokenStopsWorkingWhenItsOwnerMayNoLongerManageUsers()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "scim-demoted@example.com", PanelRoles.UserAdministrator);
        var secret = await factory.IssueTokenAsync(owner.Id, ApiType.Scim);
        var client = factory.ClientWith(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scim/v2/Users")).StatusCode);

        await using (var scope = factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            Assert.True((await users.RemoveFromRoleAsync((await users.FindByIdAsync(owner.Id))!, PanelRoles.UserAdministrator)).Succeeded);
        }

        var response = await client.GetAsync("/scim/v2/Users");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("insufficient_scope", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", error.RootElement.GetProperty("schemas")[0].GetString());
        Assert.Equal("403", error.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task LastUseIsKeptInMemoryAndWrittenByTheFlush()
    {
        var (owner, secret) = await RestTokenAsync("last-used@example.com");
        factory.Time.Advance(TimeSpan.FromMinutes(5));
        var usedAt = factory.Time.GetUtcNow().UtcDateTime;

        var current = await factory.ClientWith(secret).GetFromJsonAsync<JsonElement>("/api/v1/tokens/current");

        Assert.Equal(usedAt, current.GetProperty("lastUsedAt").GetDateTime());
        var stored = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == owner.Id).Select(t => t.LastUsedAt).SingleAsync());
        Assert.Null(stored);

        await factory.Services.GetRequiredService<TokenUsageFlusher>().FlushAsync();

        var flushed = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == owner.Id)
            .Select(t => new { t.LastUsedAt, t.LastUsedFrom }).SingleAsync());
        Assert.Equal(usedAt, flushed.LastUsedAt);
    }

    [Fact]
    public async Task SecretsNeverReachTheLogs()
    {
        var (_, secret) = await RestTokenAsync("logs@example.com");
        await factory.ClientWith(secret).GetAsync(RestProbe);
        await factory.ClientWith(secret[..^1] + "0").GetAsync(RestProbe);

        Assert.DoesNotContain(secret[..^6], factory.Logs.AllText);
    }
}

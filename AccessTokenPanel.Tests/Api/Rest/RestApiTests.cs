using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api.Rest;

public class RestApiTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private async Task<(TestUser Owner, HttpClient Client)> RestClientAsync(string email, params string[] roles)
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, email, roles);
        return (owner, factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "cli")));
    }

    [Fact]
    public async Task ListShowsOnlyTheCallersTokensAndNeverASecret()
    {
        var (owner, client) = await RestClientAsync("lister@example.com");
        var other = await TestUsers.CreateEnrolledUserAsync(factory.Services, "other-lister@example.com");
        var otherSecret = await factory.IssueTokenAsync(other.Id, ApiType.Rest, name: "not yours");
        await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "second");

        var response = await client.GetAsync("/api/v1/tokens");
        var text = await response.Content.ReadAsStringAsync();
        var tokens = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["cli", "second"], tokens.EnumerateArray().Select(t => t.GetProperty("name").GetString()).Order());
        Assert.All(tokens.EnumerateArray(), t => Assert.Equal("rest", t.GetProperty("api").GetString()));
        Assert.DoesNotContain("not yours", text);
        Assert.DoesNotContain(otherSecret[..20], text);
        Assert.DoesNotContain("secretHash", text, StringComparison.OrdinalIgnoreCase);
        Assert.All(tokens.EnumerateArray(), t => Assert.Contains("…", t.GetProperty("hint").GetString()));
    }

    [Fact]
    public async Task SomeoneElsesTokenIdIsNotFoundAndStaysAlive()
    {
        var (_, client) = await RestClientAsync("nosy@example.com", PanelRoles.ReadOnly);
        var other = await TestUsers.CreateEnrolledUserAsync(factory.Services, "victim-rest@example.com");
        var otherSecret = await factory.IssueTokenAsync(other.Id, ApiType.Rest);
        var otherId = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == other.Id).Select(t => t.Id).SingleAsync());

        var get = await client.GetAsync($"/api/v1/tokens/{otherId}");
        var delete = await client.DeleteAsync($"/api/v1/tokens/{otherId}");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal("application/problem+json", delete.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(otherSecret).GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task RevokingOwnTokenStopsItOnTheNextCall()
    {
        var (owner, client) = await RestClientAsync("self-revoker@example.com");
        var victimSecret = await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "to revoke");
        var victimId = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == "to revoke" && t.OwnerId == owner.Id).Select(t => t.Id).SingleAsync());

        var delete = await client.DeleteAsync($"/api/v1/tokens/{victimId}");
        var after = await factory.ClientWith(victimSecret).GetAsync("/api/v1/tokens");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task TokenRevokingItselfIsRefusedOnItsNextCall()
    {
        var (_, client) = await RestClientAsync("suicidal@example.com");
        var current = await client.GetFromJsonAsync<JsonElement>("/api/v1/tokens/current");

        var delete = await client.DeleteAsync($"/api/v1/tokens/{current.GetProperty("id").GetString()}");
        var after = await client.GetAsync("/api/v1/tokens/current");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ProgrammaticIssuanceNeedsTheCodeAndItsTokensDieWithTheirParent()
    {
        var (owner, client) = await RestClientAsync("programmatic@example.com");
        var body = new { name = "ci job", api = "rest", days = 7 };

        var withoutCode = await client.PostAsJsonAsync("/api/v1/tokens", body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-OTP", owner.CodeAt(factory.Time.GetUtcNow()));
        var issued = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal("no-store", issued.Headers.CacheControl?.ToString());
        var result = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var childSecret = result.GetProperty("secret").GetString()!;
        Assert.StartsWith("atp_rest_", childSecret);
        Assert.Equal(factory.Time.GetUtcNow().UtcDateTime.AddDays(7), result.GetProperty("token").GetProperty("expiresAt").GetDateTime());
        var child = factory.ClientWith(childSecret);
        Assert.Equal(HttpStatusCode.OK, (await child.GetAsync("/api/v1/tokens")).StatusCode);

        var parent = await client.GetFromJsonAsync<JsonElement>("/api/v1/tokens/current");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/tokens/{parent.GetProperty("id").GetString()}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await child.GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task ProgrammaticIssuanceRefusesAReplayedCode()
    {
        var (owner, client) = await RestClientAsync("replayer@example.com");
        factory.NextTotpStep();
        var code = owner.CodeAt(factory.Time.GetUtcNow());

        async Task<HttpResponseMessage> IssueAsync(string name)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { name, api = "rest", days = 1 }) };
            request.Headers.Add("X-OTP", code);
            return await client.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Created, (await IssueAsync("first")).StatusCode);
        var replay = await IssueAsync("second");

        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("code-replayed", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ProgrammaticIssuanceExplainsInvalidFields()
    {
        var (owner, client) = await RestClientAsync("invalid-fields@example.com");
        factory.NextTotpStep();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { name = "too long", api = "rest", days = 5000 }) };
        request.Headers.Add("X-OTP", owner.CodeAt(factory.Time.GetUtcNow()));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TokenErrorCodes.ExpiryBeyondMaximum, problem.GetProperty("code").GetString());
        Assert.Contains("365", problem.GetProperty("errors").GetProperty("days")[0].GetString());
    }

    [Theory]
    [InlineData("{\"name\": ", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[1,2,3]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"days\": \"many\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("name=x", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("<token/>", "application/xml", HttpStatusCode.UnsupportedMediaType)]
    public async Task UnreadableBodiesAreProblemsNotServerErrors(string body, string contentType, HttpStatusCode expected)
    {
        var (_, client) = await RestClientAsync($"unreadable-{Guid.NewGuid():N}@example.com");

        var response = await client.PostAsync("/api/v1/tokens", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApiDocumentDescribesTheRestAndConfigurationApis()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/tokens", paths);
        Assert.Contains("/api/v1/user-token", paths);
        Assert.Contains("/api/config/v1/settings", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/scim", StringComparison.Ordinal));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
        Assert.True(document.GetProperty("paths").GetProperty("/api/v1/tokens").GetProperty("get").GetProperty("security")[0].TryGetProperty("bearer", out _));
        Assert.True(document.GetProperty("paths").GetProperty("/api/v1/user-token").GetProperty("post").GetProperty("security")[0].TryGetProperty("basic", out _));
        Assert.Contains(document.GetProperty("paths").GetProperty("/api/v1/tokens").GetProperty("post").GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "X-OTP" && p.GetProperty("in").GetString() == "header");
    }
}

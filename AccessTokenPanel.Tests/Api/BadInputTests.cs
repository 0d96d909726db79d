using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Api.Scim;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api;

/// <summary>Input from the outside audit that answered 500: each is a 4xx that says what is wrong.</summary>
public class BadInputTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private static int _sequence;

    private async Task<(HttpClient Scim, HttpClient Config, HttpClient RestApi)> ClientsAsync()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services,
            $"bad-input-{Interlocked.Increment(ref _sequence)}@example.com", PanelRoles.SuperAdministrator);
        return (factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Scim)),
            factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Configuration, PanelRoles.SuperAdministrator)),
            factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Rest)));
    }

    private static HttpRequestMessage Raw(HttpMethod method, string url, string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return new HttpRequestMessage(method, url) { Content = content };
    }

    private static async Task<string> AssertScimBadRequestAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(text);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", error.RootElement.GetProperty("schemas")[0].GetString());
        Assert.Equal("invalidSyntax", error.RootElement.GetProperty("scimType").GetString());
        return error.RootElement.GetProperty("detail").GetString()!;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    [Theory]
    [InlineData("POST", "/scim/v2/Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\ud800@example.com"}""", "userName")]
    [InlineData("POST", "/scim/v2/Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"s@example.com","name":{"givenName":"A\udc00"}}""", "name.givenName")]
    [InlineData("POST", "/scim/v2/Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"s@example.com","emails":[{"value":"x","type":"\ud800"}]}""", "emails[0].type")]
    [InlineData("PATCH", "/scim/v2/Groups/any", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"\ud800"}]}""", "Operations[0].value")]
    public async Task LoneSurrogateInAScimStringIsAnInvalidSyntaxError(string method, string url, string body, string path)
    {
        var (scim, _, _) = await ClientsAsync();

        var response = await scim.SendAsync(Raw(new HttpMethod(method), url, body, "application/scim+json"));

        var detail = await AssertScimBadRequestAsync(response);
        Assert.Contains(path, detail);
        Assert.Contains("surrogate", detail);
    }

    [Theory]
    [InlineData("POST", "/scim/v2/Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"schemas":["x"],"userName":"dup-keys@example.com"}""")]
    [InlineData("PATCH", "/scim/v2/Users/any", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[],"Operations":[{"op":"replace","path":"active","value":false}]}""")]
    public async Task DuplicateJsonKeysInAScimBodyAreAnInvalidSyntaxError(string method, string url, string body)
    {
        var (scim, _, _) = await ClientsAsync();

        var response = await scim.SendAsync(Raw(new HttpMethod(method), url, body, "application/scim+json"));

        Assert.Contains("Duplicate", await AssertScimBadRequestAsync(response), StringComparison.OrdinalIgnoreCase);
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "dup-keys@example.com")));
    }

    [Fact]
    public async Task DuplicateJsonKeysAndLoneSurrogatesInTypedBodiesAreProblems()
    {
        var (_, config, rest) = await ClientsAsync();

        var duplicate = await config.SendAsync(Raw(HttpMethod.Patch, "/api/config/v1/settings",
            """{"organizationName":"A","organizationName":"B"}""", "application/json"));
        var surrogate = await config.SendAsync(Raw(HttpMethod.Patch, "/api/config/v1/settings",
            """{"organizationName":"\ud800"}""", "application/json"));
        var issue = await rest.SendAsync(Raw(HttpMethod.Post, "/api/v1/tokens", """{"name":"\udfff","api":"rest"}""", "application/json"));

        Assert.Contains("organizationName", (await AssertProblemAsync(duplicate)).GetProperty("detail").GetString());
        await AssertProblemAsync(surrogate);
        await AssertProblemAsync(issue);
        Assert.NotEqual("B", (await factory.WithDbAsync(db => db.Settings.SingleAsync())).OrganizationName);
    }

    public static TheoryData<string, string, string> JsonEndpoints => new()
    {
        { "scim", "POST", "/scim/v2/Users" },
        { "scim", "PATCH", "/scim/v2/Users/any" },
        { "scim", "PUT", "/scim/v2/Groups/any" },
        { "config", "PATCH", "/api/config/v1/settings" },
        { "config", "PUT", "/api/config/v1/settings/token-policy" },
        { "config", "POST", "/api/config/v1/users" },
        { "rest", "POST", "/api/v1/tokens" },
        { "rest", "POST", "/api/v1/user-token/info" },
        { "anonymous", "POST", "/api/v1/user-token" },
    };

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task BogusCharsetIsABadRequestNamingTheCharset(string client, string method, string url)
    {
        var (scim, config, rest) = await ClientsAsync();
        var http = client switch { "scim" => scim, "config" => config, "rest" => rest, _ => factory.CreateClient() };

        var response = await http.SendAsync(Raw(new HttpMethod(method), url, """{"name":"x"}""", "application/json; charset=bogus"));

        var detail = client == "scim"
            ? await AssertScimBadRequestAsync(response)
            : (await AssertProblemAsync(response)).GetProperty("detail").GetString()!;
        Assert.Contains("bogus", detail);
        Assert.Contains("UTF-8", detail);
    }

    [Theory]
    [InlineData("multipart/form-data", "token=atp_rest_x")]
    [InlineData("multipart/form-data; boundary=XYZ", "this is not a multipart body")]
    [InlineData("multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\natp")]
    public async Task BrokenMultipartOnTheTokenInfoFormIsABadRequest(string contentType, string body)
    {
        var (_, _, rest) = await ClientsAsync();

        var response = await rest.SendAsync(Raw(HttpMethod.Post, "/api/v1/user-token/info", body, contentType));

        Assert.Contains("form", (await AssertProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PutTokenPolicyWithoutAllowedApiTypesIsRefusedAndChangesNothing()
    {
        var (_, config, _) = await ClientsAsync();
        var before = await factory.WithDbAsync(db => db.Settings.AsNoTracking().SingleAsync());

        var response = await config.PutAsJsonAsync("/api/config/v1/settings/token-policy", new { maxLifetimeDays = 200, defaultExpiryDays = 30 });

        var problem = await AssertProblemAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty("allowedApiTypes", out _));
        var after = await factory.WithDbAsync(db => db.Settings.AsNoTracking().SingleAsync());
        Assert.Equal(before.MaxLifetimeDays, after.MaxLifetimeDays);
        Assert.Equal((before.RestApiEnabled, before.ScimApiEnabled, before.ConfigurationApiEnabled), (after.RestApiEnabled, after.ScimApiEnabled, after.ConfigurationApiEnabled));
    }

    [Theory]
    [InlineData("none", "/healthz")]
    [InlineData("rest", "/api/v1/tokens")]
    [InlineData("config", "/api/config/v1/settings")]
    [InlineData("scim", "/scim/v2/ServiceProviderConfig")]
    [InlineData("none", "/openapi/v1.json")]
    public async Task HeadOnAGetEndpointAnswersLikeGetWithoutABody(string client, string url)
    {
        var (scim, config, rest) = await ClientsAsync();
        var http = client switch { "scim" => scim, "config" => config, "rest" => rest, _ => factory.CreateClient() };

        var get = await http.GetAsync(url);
        var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }
}

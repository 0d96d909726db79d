using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using static AccessTokenPanel.Tests.Api.OAuth.OAuthClient;

namespace AccessTokenPanel.Tests.Api.OAuth;

/// <summary>RFC 7009 revocation and RFC 7662 introspection next to the token endpoint.</summary>
public class RevocationAndIntrospectionTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private static int _sequence;

    private Task<TestUser> UserAsync(params string[] roles) =>
        TestUsers.CreateEnrolledUserAsync(factory.Services, $"rfc-{Interlocked.Increment(ref _sequence)}@example.com", roles);

    private async Task<HttpResponseMessage> IntrospectWithCodeAsync(TestUser caller, string token, string? password = null)
    {
        factory.NextTotpStep();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/oauth/introspect")
        {
            Content = new FormUrlEncodedContent([new("token", token)]),
        };
        request.Headers.Authorization = ApiAppFactory.Basic(caller.Email, password ?? caller.Password);
        request.Headers.Add("X-OTP", caller.CodeAt(factory.Time.GetUtcNow()));
        return await factory.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task RevokingTheRefreshTokenRevokesItsAccessTokens()
    {
        var user = await UserAsync();
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        var access = await AccessTokenAsync(factory.CreateClient(), refresh);

        var response = await PostFormAsync(factory.CreateClient(), "/api/v1/oauth/revoke", ("token", refresh), ("token_type_hint", "refresh_token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(access).GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(refresh).GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task RevokingAnAccessTokenLeavesItsParentWorking()
    {
        var user = await UserAsync();
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        var access = await AccessTokenAsync(factory.CreateClient(), refresh);

        var response = await PostFormAsync(factory.CreateClient(), "/api/v1/oauth/revoke", ("token", access));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(access).GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(refresh).GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task RevokingAnUnknownTokenIs200AndAMissingOneIsInvalidRequest()
    {
        var client = factory.CreateClient();

        var unknown = await PostFormAsync(client, "/api/v1/oauth/revoke", ("token", TokenSecret.Generate(ApiType.Rest)));
        var garbage = await PostFormAsync(client, "/api/v1/oauth/revoke", ("token", "garbage"));
        var missing = await PostFormAsync(client, "/api/v1/oauth/revoke", ("token_type_hint", "access_token"));

        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("invalid_request", (await ErrorOf(missing)).Error);
    }

    [Fact]
    public async Task IntrospectionWithCredentialsAndCodeDescribesTheCallersOwnToken()
    {
        var user = await UserAsync();
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        var access = await AccessTokenAsync(factory.CreateClient(), refresh);

        var response = await IntrospectWithCodeAsync(user, access);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(user.Id, body.GetProperty("sub").GetString());
        Assert.Equal(user.Email, body.GetProperty("username").GetString());
        Assert.Equal("rest", body.GetProperty("aud").GetString());
        Assert.Equal("access", body.GetProperty("token_kind").GetString());
        Assert.Equal(factory.Time.GetUtcNow().ToUnixTimeSeconds() + 3600 - 30, body.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task SomeoneElsesRevokedOrUnknownTokenIsInactive()
    {
        var user = await UserAsync();
        var stranger = await UserAsync();
        var strangersToken = await factory.IssueTokenAsync(stranger.Id, ApiType.Rest);
        var revoked = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        await PostFormAsync(factory.CreateClient(), "/api/v1/oauth/revoke", ("token", revoked));

        foreach (var token in new[] { strangersToken, revoked, TokenSecret.Generate(ApiType.Rest), "garbage" })
        {
            var response = await IntrospectWithCodeAsync(user, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"active":false}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AConfigurationTokenThatReadsAllTokensSeesEveryonesAndARestTokenOnlyItsOwners()
    {
        var auditor = await UserAsync(PanelRoles.SuperAdministrator);
        var user = await UserAsync();
        var usersToken = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        var policyAdmin = factory.ClientWith(await factory.IssueTokenAsync(auditor.Id, ApiType.Configuration, PanelRoles.TokenPolicyAdministrator));
        var readOnly = factory.ClientWith(await factory.IssueTokenAsync(auditor.Id, ApiType.Configuration, PanelRoles.ReadOnly));
        var ownRest = factory.ClientWith(await factory.IssueTokenAsync(user.Id, ApiType.Rest));

        async Task<bool> ActiveAsync(HttpClient client) =>
            (await (await PostFormAsync(client, "/api/v1/oauth/introspect", ("token", usersToken))).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("active").GetBoolean();

        Assert.True(await ActiveAsync(policyAdmin));
        Assert.False(await ActiveAsync(readOnly));
        Assert.True(await ActiveAsync(ownRest));
    }

    [Fact]
    public async Task IntrospectionWithoutOrWithBadAuthenticationIs401()
    {
        var user = await UserAsync();
        var token = await factory.IssueTokenAsync(user.Id, ApiType.Rest);

        var anonymous = await PostFormAsync(factory.CreateClient(), "/api/v1/oauth/introspect", ("token", token));
        var badBearer = await PostFormAsync(factory.ClientWith(TokenSecret.Generate(ApiType.Rest)), "/api/v1/oauth/introspect", ("token", token));
        var wrongPassword = await IntrospectWithCodeAsync(user, token, password: "not-the-password");
        var noCode = new HttpRequestMessage(HttpMethod.Post, "/api/v1/oauth/introspect") { Content = new FormUrlEncodedContent([new("token", token)]) };
        noCode.Headers.Authorization = ApiAppFactory.Basic(user.Email, user.Password);
        var withoutCode = await factory.CreateClient().SendAsync(noCode);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(["Bearer", "Basic"], anonymous.Headers.WwwAuthenticate.Select(h => h.Scheme));
        Assert.Equal("invalid_client", (await ErrorOf(anonymous)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, badBearer.StatusCode);
        Assert.Equal("invalid_token", (await ErrorOf(badBearer)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.Equal("code-required", (await withoutCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using static AccessTokenPanel.Tests.Api.OAuth.OAuthClient;

namespace AccessTokenPanel.Tests.Api.OAuth;

/// <summary>
/// The token policy's access-token fields, set through the Configuration API: "long-lived tokens may
/// call this API directly" per API, and the access token lifetime.
/// </summary>
public class DirectCallPolicyTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private static int _sequence;

    private async Task<HttpClient> AdministratorAsync()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"policy-admin-{Interlocked.Increment(ref _sequence)}@example.com",
            PanelRoles.SuperAdministrator);
        return factory.ClientWith(await factory.IssueTokenAsync(admin.Id, ApiType.Configuration, PanelRoles.TokenPolicyAdministrator));
    }

    /// <summary>PUT replaces the policy, so the other fields are sent as they were.</summary>
    private static Task<HttpResponseMessage> PutPolicyAsync(HttpClient admin, object? directCallApiTypes = null, int? accessTokenLifetimeMinutes = null) =>
        admin.PutAsJsonAsync("/api/config/v1/settings/token-policy", new
        {
            maxLifetimeDays = 365,
            defaultExpiryDays = 90,
            allowedApiTypes = new[] { "configuration", "scim", "rest" },
            directCallApiTypes,
            accessTokenLifetimeMinutes,
        });

    [Fact]
    public async Task WithDirectCallsOffAScreenTokenIsToldToExchangeAndItsAccessTokenIsAccepted()
    {
        var admin = await AdministratorAsync();
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "direct-off@example.com");
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        var before = await factory.ClientWith(refresh).GetAsync("/api/v1/tokens");

        var put = await PutPolicyAsync(admin, directCallApiTypes: new[] { "configuration", "scim" });
        try
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var policy = await put.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(["configuration", "scim"], policy.GetProperty("directCallApiTypes").EnumerateArray().Select(e => e.GetString()));

            var direct = await factory.ClientWith(refresh).GetAsync("/api/v1/tokens");
            Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
            var challenge = direct.Headers.WwwAuthenticate.ToString();
            Assert.Contains("error=\"invalid_token\"", challenge);
            Assert.Contains("/api/v1/oauth/token", challenge);

            var access = await AccessTokenAsync(factory.CreateClient(), refresh);
            Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(access).GetAsync("/api/v1/tokens")).StatusCode);
            // The Configuration API keeps taking long-lived tokens: the switch is per API.
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/config/v1/settings")).StatusCode);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await PutPolicyAsync(admin, directCallApiTypes: new[] { "configuration", "scim", "rest" })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(refresh).GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task TheAccessTokenLifetimeIsASettingWithBounds()
    {
        var admin = await AdministratorAsync();
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "lifetime@example.com");
        var refresh = await factory.IssueTokenAsync(user.Id, ApiType.Rest);

        var tooShort = await PutPolicyAsync(admin, accessTokenLifetimeMinutes: 1);
        var fifteen = await PutPolicyAsync(admin, accessTokenLifetimeMinutes: 15);
        try
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
            var problem = await tooShort.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("between 5 and 1440 minutes", problem.GetProperty("errors").GetProperty("accessTokenLifetimeMinutes")[0].GetString());

            Assert.Equal(HttpStatusCode.OK, fifteen.StatusCode);
            Assert.Equal(15, (await fifteen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessTokenLifetimeMinutes").GetInt32());
            var exchanged = await (await ExchangeAsync(factory.CreateClient(), refresh)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(900, exchanged.GetProperty("expires_in").GetInt64());
        }
        finally
        {
            await PutPolicyAsync(admin, accessTokenLifetimeMinutes: 60);
        }
        var settings = await (await admin.GetAsync("/api/config/v1/settings")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(60, settings.GetProperty("tokenPolicy").GetProperty("accessTokenLifetimeMinutes").GetInt32());
    }

    [Fact]
    public async Task AnUnknownApiInTheDirectCallListIsAFieldError()
    {
        var admin = await AdministratorAsync();

        var response = await PutPolicyAsync(admin, directCallApiTypes: new[] { "rest", "soap" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'soap'", problem.GetProperty("errors").GetProperty("directCallApiTypes")[0].GetString());
        var policy = await (await admin.GetAsync("/api/config/v1/settings/token-policy")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, policy.GetProperty("directCallApiTypes").GetArrayLength());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api.Configuration;

public class ConfigurationApiTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private static int _sequence;

    /// <summary>Each Configuration endpoint, the permission it needs, and a harmless request to it.</summary>
    private static readonly (string Name, string Permission, Func<string, HttpRequestMessage> Request)[] Endpoints =
    [
        ("GET settings", Permission.SettingsRead, _ => new(HttpMethod.Get, "/api/config/v1/settings")),
        ("PATCH settings", Permission.SettingsWrite, _ => Json(HttpMethod.Patch, "/api/config/v1/settings", new { })),
        ("GET token-policy", Permission.SettingsRead, _ => new(HttpMethod.Get, "/api/config/v1/settings/token-policy")),
        ("PUT token-policy", Permission.SettingsWrite, _ => Json(HttpMethod.Put, "/api/config/v1/settings/token-policy",
            new { maxLifetimeDays = 365, defaultExpiryDays = 90, allowedApiTypes = new[] { "configuration", "scim", "rest" } })),
        ("GET users", Permission.UsersRead, _ => new(HttpMethod.Get, "/api/config/v1/users")),
        ("GET user", Permission.UsersRead, victim => new(HttpMethod.Get, $"/api/config/v1/users/{victim}")),
        ("POST users", Permission.UsersWrite, _ => Json(HttpMethod.Post, "/api/config/v1/users",
            new { email = $"created-{Interlocked.Increment(ref _sequence)}@example.com", displayName = "Created" })),
        ("POST disable", Permission.UsersWrite, victim => new(HttpMethod.Post, $"/api/config/v1/users/{victim}/disable")),
        ("POST enable", Permission.UsersWrite, victim => new(HttpMethod.Post, $"/api/config/v1/users/{victim}/enable")),
    ];

    private static HttpRequestMessage Json(HttpMethod method, string url, object body) =>
        new(method, url) { Content = JsonContent.Create(body) };

    public static TheoryData<string, string> RolesAndEndpoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in PanelRoles.All)
        {
            foreach (var endpoint in Endpoints)
            {
                data.Add(role.Name, endpoint.Name);
            }
        }
        return data;
    }

    private async Task<HttpClient> ConfigurationClientAsync(string role, string? ownerRole = null)
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services,
            $"cfg-owner-{Interlocked.Increment(ref _sequence)}@example.com", ownerRole ?? PanelRoles.SuperAdministrator);
        return factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Configuration, role));
    }

    [Theory]
    [MemberData(nameof(RolesAndEndpoints))]
    public async Task EachDelegatedRoleReachesExactlyTheEndpointsItsPermissionsAllow(string role, string endpointName)
    {
        var endpoint = Endpoints.Single(e => e.Name == endpointName);
        var victim = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"victim-{Interlocked.Increment(ref _sequence)}@example.com");
        var client = await ConfigurationClientAsync(role);

        var response = await client.SendAsync(endpoint.Request(victim.Id));

        if (PanelRoles.Find(role)!.Permissions.Contains(endpoint.Permission))
        {
            Assert.True(response.IsSuccessStatusCode, $"{role} on {endpointName}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Contains("error=\"insufficient_scope\"", challenge.Parameter);
            Assert.Contains($"scope=\"{endpoint.Permission}\"", challenge.Parameter);
        }
    }

    [Fact]
    public async Task ReadOnlyTokenReadsThePolicyButCannotChangeIt()
    {
        var client = await ConfigurationClientAsync(PanelRoles.ReadOnly);

        var policy = await client.GetFromJsonAsync<JsonElement>("/api/config/v1/settings/token-policy");
        var change = await client.PutAsJsonAsync("/api/config/v1/settings/token-policy",
            new { maxLifetimeDays = 30, defaultExpiryDays = 10, allowedApiTypes = new[] { "rest" } });

        Assert.Equal(365, policy.GetProperty("maxLifetimeDays").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        var stored = await factory.WithDbAsync(db => db.Settings.SingleAsync());
        Assert.Equal(365, stored.MaxLifetimeDays);
    }

    [Fact]
    public async Task TokenPolicyChangeIsSavedAndAudited()
    {
        var client = await ConfigurationClientAsync(PanelRoles.TokenPolicyAdministrator, PanelRoles.TokenPolicyAdministrator);

        var response = await client.PatchAsJsonAsync("/api/config/v1/settings", new { maxLifetimeDays = 183, organizationName = "Example Corp" });
        var restore = await client.PatchAsJsonAsync("/api/config/v1/settings", new { maxLifetimeDays = 365, organizationName = "AccessTokenPanel" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(183, body.GetProperty("tokenPolicy").GetProperty("maxLifetimeDays").GetInt32());
        Assert.Equal("Example Corp", body.GetProperty("organizationName").GetString());
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        var audit = await factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.SettingsChanged).ToListAsync());
        Assert.Contains(audit, e => e.Details.Contains("maxLifetimeDays 365 -> 183"));
    }

    [Fact]
    public async Task InvalidPolicyIsRefusedFieldByFieldAndNothingChanges()
    {
        var client = await ConfigurationClientAsync(PanelRoles.SuperAdministrator);

        var response = await client.PutAsJsonAsync("/api/config/v1/settings/token-policy",
            new { maxLifetimeDays = 0, defaultExpiryDays = 90, allowedApiTypes = new[] { "soap" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("maxLifetimeDays", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("allowedApiTypes", out _));
        Assert.Equal(365, (await factory.WithDbAsync(db => db.Settings.SingleAsync())).MaxLifetimeDays);
    }

    [Fact]
    public async Task UserAdministratorCreatesAndDisablesAUserButCannotGrantSuperAdministrator()
    {
        var client = await ConfigurationClientAsync(PanelRoles.UserAdministrator);

        var created = await client.PostAsJsonAsync("/api/config/v1/users",
            new { email = "new-admin@example.com", displayName = "New Admin", roles = new[] { PanelRoles.ReadOnly } });
        var user = await created.Content.ReadFromJsonAsync<JsonElement>();
        var disabled = await client.PostAsync($"/api/config/v1/users/{user.GetProperty("id").GetString()}/disable", null);
        var escalation = await client.PostAsJsonAsync("/api/config/v1/users",
            new { email = "sneaky@example.com", roles = new[] { PanelRoles.SuperAdministrator } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(PanelRoles.ReadOnly, user.GetProperty("roles")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.True((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, escalation.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "sneaky@example.com")));
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.UserDisabled && e.SubjectId == user.GetProperty("id").GetString())));
    }

    [Fact]
    public async Task DuplicateUserIsAConflict()
    {
        var client = await ConfigurationClientAsync(PanelRoles.UserAdministrator);
        await client.PostAsJsonAsync("/api/config/v1/users", new { email = "twice@example.com" });

        var again = await client.PostAsJsonAsync("/api/config/v1/users", new { email = "twice@example.com" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ExternalIdHeldByAnotherUserIsAConflict()
    {
        var client = await ConfigurationClientAsync(PanelRoles.UserAdministrator);
        var holder = await client.PostAsJsonAsync("/api/config/v1/users", new { email = "cfg-external-id-holder@example.com", externalId = "cfg-idp-1" });
        var other = await (await client.PostAsJsonAsync("/api/config/v1/users", new { email = "cfg-external-id-other@example.com" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        var create = await client.PostAsJsonAsync("/api/config/v1/users", new { email = "cfg-external-id-copy@example.com", externalId = "cfg-idp-1" });
        var update = await client.PatchAsJsonAsync($"/api/config/v1/users/{other.GetProperty("id").GetString()}", new { externalId = "cfg-idp-1" });

        Assert.Equal(HttpStatusCode.Created, holder.StatusCode);
        foreach (var refused in new[] { create, update })
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("external-id-taken", problem.GetProperty("code").GetString());
            Assert.Contains("externalId", problem.GetProperty("detail").GetString());
        }
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "cfg-external-id-copy@example.com")));
        Assert.Equal(1, await factory.WithDbAsync(db => db.Users.CountAsync(u => u.ExternalId == "cfg-idp-1")));
    }

    [Fact]
    public async Task UnknownUserIs404()
    {
        var client = await ConfigurationClientAsync(PanelRoles.SuperAdministrator);

        var response = await client.PostAsync("/api/config/v1/users/no-such-user/disable", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task MalformedJsonIsABadRequestProblem()
    {
        var client = await ConfigurationClientAsync(PanelRoles.SuperAdministrator);

        var response = await client.PatchAsync("/api/config/v1/settings",
            new StringContent("{\"maxLifetimeDays\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("JSON", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WrongContentTypeIsAnUnsupportedMediaTypeProblem()
    {
        var client = await ConfigurationClientAsync(PanelRoles.SuperAdministrator);

        var response = await client.PatchAsync("/api/config/v1/settings",
            new StringContent("maxLifetimeDays=10", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("application/json", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}

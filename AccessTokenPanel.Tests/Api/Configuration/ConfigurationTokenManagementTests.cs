using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api.Configuration;

/// <summary>
/// Rotation and allowed addresses through the Configuration API: others' tokens only with a role
/// that revokes every token, and never the token of someone holding more permissions.
/// </summary>
public class ConfigurationTokenManagementTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private static int _sequence;

    private async Task<(TestUser Admin, HttpClient Client)> AdminAsync(string role)
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"cfg-admin-{Interlocked.Increment(ref _sequence)}@example.com", role);
        return (admin, factory.ClientWith(await factory.IssueTokenAsync(admin.Id, ApiType.Configuration, role)));
    }

    private async Task<(string Secret, Guid Id)> VictimTokenAsync(params string[] roles)
    {
        var victim = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"cfg-victim-{Interlocked.Increment(ref _sequence)}@example.com", roles);
        var secret = await factory.IssueTokenAsync(victim.Id, ApiType.Rest, name: "victim's");
        return (secret, await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == victim.Id).Select(t => t.Id).SingleAsync()));
    }

    private HttpRequestMessage Rotate(Guid id, TestUser codeOf)
    {
        factory.NextTotpStep();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/config/v1/tokens/{id}/rotate") { Content = JsonContent.Create(new { overlapMinutes = 0 }) };
        request.Headers.Add("X-OTP", codeOf.CodeAt(factory.Time.GetUtcNow()));
        return request;
    }

    [Fact]
    public async Task ATokenPolicyAdministratorRotatesTheTokenOfAUserWithFewerPermissions()
    {
        var (admin, client) = await AdminAsync(PanelRoles.TokenPolicyAdministrator);
        var (victimSecret, victimId) = await VictimTokenAsync();

        var response = await client.SendAsync(Rotate(victimId, admin));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var newSecret = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(victimSecret).GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(newSecret).GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task TheTokenOfSomeoneWithMorePermissionsIsNotRotated()
    {
        var (admin, client) = await AdminAsync(PanelRoles.TokenPolicyAdministrator);
        var (victimSecret, victimId) = await VictimTokenAsync(PanelRoles.SuperAdministrator);

        var response = await client.SendAsync(Rotate(victimId, admin));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(TokenErrorCodes.OwnerOutranksActor, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(victimSecret).GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task ARoleThatCannotRevokeEveryTokenSeesNoOtherUsersToken()
    {
        // The owner could rotate anyone's token on the screen; their Read Only token cannot.
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"cfg-ro-{Interlocked.Increment(ref _sequence)}@example.com", PanelRoles.SuperAdministrator);
        var client = factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Configuration, PanelRoles.ReadOnly));
        var (victimSecret, victimId) = await VictimTokenAsync();

        var rotate = await client.SendAsync(Rotate(victimId, owner));
        var addresses = await client.PutAsJsonAsync($"/api/config/v1/tokens/{victimId}/allowed-addresses", new { allowedAddresses = new[] { "10.0.0.0/8" } });

        Assert.Equal(HttpStatusCode.NotFound, rotate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, addresses.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(victimSecret).GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task ATokenPolicyAdministratorRestrictsAnotherUsersTokenToAnAddress()
    {
        var (_, client) = await AdminAsync(PanelRoles.TokenPolicyAdministrator);
        var (victimSecret, victimId) = await VictimTokenAsync();

        var response = await client.PutAsJsonAsync($"/api/config/v1/tokens/{victimId}/allowed-addresses", new { allowedAddresses = new[] { "2001:db8::/32", "10.0.0.0/8" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["2001:db8::/32", "10.0.0.0/8"], token.GetProperty("allowedAddresses").EnumerateArray().Select(e => e.GetString()));
        // The in-memory test client calls from neither network (it has no address at all: refused, fail closed).
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(victimSecret).GetAsync("/api/v1/tokens")).StatusCode);
    }
}

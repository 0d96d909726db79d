using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api.ExternalTokens;

/// <summary>
/// Issue 17: a validator is a trust anchor. Changing one needs every permission and a current code;
/// a JWT maps only to a verified email, one user, at most the validator's maximum role; keys are
/// fetched without following redirects.
/// </summary>
public class ExternalTokenTrustTests(ExternalIssuerAppFactory factory, FakeIssuer issuer)
    : IClassFixture<ExternalIssuerAppFactory>, IClassFixture<FakeIssuer>
{
    private const string Audience = "access-token-panel";
    private const string ValidatorsUrl = "/api/config/v1/external-token-validators";
    private static int _sequence;

    private DateTimeOffset Now => factory.Time.GetUtcNow();

    private static string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _sequence)}";

    private async Task<(TestUser User, HttpClient Client)> ConfigurationTokenAsync(string role)
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{Unique("trust-admin-")}@example.com", role);
        return (user, factory.ClientWith(await factory.IssueTokenAsync(user.Id, ApiType.Configuration, role)));
    }

    /// <summary>A change request; with <paramref name="codeOf"/>, that user's code of a fresh step in X-OTP.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, object? body, TestUser? codeOf)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (codeOf is not null)
        {
            factory.NextTotpStep();
            request.Headers.Add("X-OTP", codeOf.CodeAt(Now));
        }
        return await client.SendAsync(request);
    }

    private async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>A tenant at the fake issuer trusted by a validator a Super Administrator added with <paramref name="maxRole"/> (null: the default).</summary>
    private async Task<FakeIssuer.Tenant> TrustedTenantAsync(string? maxRole = null)
    {
        var name = Unique("trust-tenant");
        var tenant = issuer.NewTenant(name);
        var (root, client) = await ConfigurationTokenAsync(PanelRoles.SuperAdministrator);
        object body = maxRole is null
            ? new { name, issuer = tenant.Issuer, audience = Audience }
            : new { name, issuer = tenant.Issuer, audience = Audience, maxRole };
        await CreatedAsync(await SendAsync(client, HttpMethod.Post, ValidatorsUrl, body, root));
        return tenant;
    }

    private static Dictionary<string, object> VerifiedEmail(string email) => new() { ["email"] = email, ["email_verified"] = true };

    private Task<HttpResponseMessage> CallAsync(string jwt) => factory.ClientWith(jwt).GetAsync("/api/v1/tokens");

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains(reason, body);
    }

    private static async Task<string?> ProblemCodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("code", out var code) ? code.GetString() : null;

    [Fact]
    public async Task ATokenPolicyAdministratorsConfigurationTokenIsRefusedAddingAValidator()
    {
        var (admin, client) = await ConfigurationTokenAsync(PanelRoles.TokenPolicyAdministrator);
        var name = Unique("rogue");

        var response = await SendAsync(client, HttpMethod.Post, ValidatorsUrl,
            new { name, issuer = "https://idp.attacker.example", audience = Audience }, admin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("every-permission-required", await ProblemCodeAsync(response));
        Assert.False(await factory.WithDbAsync(db => db.ExternalTokenValidators.AnyAsync(v => v.Name == name)));
    }

    [Fact]
    public async Task ASuperAdministratorsConfigurationTokenNeedsTheCurrentCodeToAddAValidator()
    {
        var (root, client) = await ConfigurationTokenAsync(PanelRoles.SuperAdministrator);
        var name = Unique("stepped-up");
        var body = new { name, issuer = "https://login.example.com/" + name, audience = Audience };

        var withoutCode = await SendAsync(client, HttpMethod.Post, ValidatorsUrl, body, codeOf: null);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.Equal("code-required", await ProblemCodeAsync(withoutCode));
        using (var wrong = new HttpRequestMessage(HttpMethod.Post, ValidatorsUrl) { Content = JsonContent.Create(body) })
        {
            wrong.Headers.Add("X-OTP", "000000");
            var wrongCode = await client.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.StatusCode);
            Assert.Equal("code-invalid", await ProblemCodeAsync(wrongCode));
        }
        Assert.False(await factory.WithDbAsync(db => db.ExternalTokenValidators.AnyAsync(v => v.Name == name)));

        var created = await CreatedAsync(await SendAsync(client, HttpMethod.Post, ValidatorsUrl, body, root));

        // Left out, the maximum role is the highest one below Super Administrator.
        Assert.Equal(PanelRoles.UserAdministrator, created.GetProperty("maxRole").GetString());
    }

    [Fact]
    public async Task EveryValidatorChangeIsAuditedWithEveryFieldBeforeAndAfter()
    {
        var (root, client) = await ConfigurationTokenAsync(PanelRoles.SuperAdministrator);
        var name = Unique("audited");
        var created = await CreatedAsync(await SendAsync(client, HttpMethod.Post, ValidatorsUrl,
            new { name, issuer = "https://a.example.com", audience = "aud-a", maxRole = PanelRoles.ReadOnly }, root));
        var id = created.GetProperty("id").GetString();

        var updated = await SendAsync(client, HttpMethod.Put, $"{ValidatorsUrl}/{id}", new
        {
            name = name + "b", issuer = "https://b.example.com", jwksUrl = "https://b.example.com/keys", audience = "aud-b",
            userClaim = "sub", enabled = false, maxRole = PanelRoles.SuperAdministrator,
        }, root);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Delete, $"{ValidatorsUrl}/{id}", null, root)).StatusCode);

        var entries = await factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.SubjectId == id).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditActions.ExternalValidatorCreated, AuditActions.ExternalValidatorUpdated, AuditActions.ExternalValidatorDeleted],
            entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(root.Id, e.ActorId));
        var (added, changed, removed) = (entries[0].Details, entries[1].Details, entries[2].Details);
        Assert.Contains($"name (none) -> '{name}'", added);
        Assert.Contains("issuer (none) -> https://a.example.com", added);
        Assert.Contains("jwksUrl (none) -> (discovery)", added);
        Assert.Contains("audience (none) -> aud-a", added);
        Assert.Contains("userClaim (none) -> email", added);
        Assert.Contains("maxRole (none) -> Read Only", added);
        Assert.Contains("enabled (none) -> true", added);
        Assert.Contains($"name '{name}' -> '{name}b'", changed);
        Assert.Contains("issuer https://a.example.com -> https://b.example.com", changed);
        Assert.Contains("jwksUrl (discovery) -> https://b.example.com/keys", changed);
        Assert.Contains("audience aud-a -> aud-b", changed);
        Assert.Contains("userClaim email -> sub", changed);
        Assert.Contains("maxRole Read Only -> Super Administrator", changed);
        Assert.Contains("enabled true -> false", changed);
        Assert.Contains($"name '{name}b' -> (removed)", removed);
        Assert.Contains("issuer https://b.example.com -> (removed)", removed);
        Assert.Contains("maxRole Super Administrator -> (removed)", removed);
        Assert.All(entries, e => Assert.Contains("via Configuration API token", e.Details));
    }

    [Fact]
    public async Task AnEmailMapsOnlyWhenTheIssuerSaysItIsVerified()
    {
        var tenant = await TrustedTenantAsync();
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{Unique("verified-")}@example.com");
        string Jwt(object? verified)
        {
            var claims = new Dictionary<string, object> { ["email"] = user.Email };
            if (verified is not null)
            {
                claims["email_verified"] = verified;
            }
            return tenant.Sign(Now, Audience, claims);
        }

        await AssertRefusedAsync(await CallAsync(Jwt(null)), "email_verified");
        await AssertRefusedAsync(await CallAsync(Jwt(false)), "email_verified");
        await AssertRefusedAsync(await CallAsync(Jwt("false")), "email_verified");
        await AssertRefusedAsync(await CallAsync(Jwt("yes")), "email_verified");
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(Jwt(true))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(Jwt("true"))).StatusCode);
    }

    [Fact]
    public async Task TheSuperAdministratorsEmailThroughAValidatorWithTheDefaultMaximumRoleIsRefused()
    {
        var tenant = await TrustedTenantAsync();
        var root = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{Unique("root-")}@example.com", PanelRoles.SuperAdministrator);
        var policyAdmin = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{Unique("tpa-")}@example.com", PanelRoles.TokenPolicyAdministrator);
        var userAdmin = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{Unique("ua-")}@example.com", PanelRoles.UserAdministrator);

        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, VerifiedEmail(root.Email))), "maximum role");
        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, VerifiedEmail(policyAdmin.Email))), "maximum role");
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(tenant.Sign(Now, Audience, VerifiedEmail(userAdmin.Email)))).StatusCode);

        // Only a validator whose author said so maps a Super Administrator.
        var allowing = await TrustedTenantAsync(PanelRoles.SuperAdministrator);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(allowing.Sign(Now, Audience, VerifiedEmail(root.Email)))).StatusCode);
    }

    [Fact]
    public async Task AUserAboveTheValidatorsMaximumRoleIsRefused()
    {
        var tenant = await TrustedTenantAsync(PanelRoles.ReadOnly);
        var reader = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{Unique("reader-")}@example.com", PanelRoles.ReadOnly);
        var userAdmin = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{Unique("ua-")}@example.com", PanelRoles.UserAdministrator);

        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, VerifiedEmail(userAdmin.Email))), "maximum role (Read Only)");
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(tenant.Sign(Now, Audience, VerifiedEmail(reader.Email)))).StatusCode);
    }

    [Fact]
    public async Task AJwtMatchingTwoUsersIsRefusedAndNeverAnError()
    {
        var tenant = await TrustedTenantAsync();
        var first = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{Unique("twin-")}@example.com");
        var second = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{Unique("twin-")}@example.com");
        // Identity refuses a duplicate email, but rows written around it (an import, an old version) can still share one.
        var normalized = new UpperInvariantLookupNormalizer().NormalizeEmail(first.Email);
        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == second.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Email, first.Email).SetProperty(u => u.NormalizedEmail, normalized)));

        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, VerifiedEmail(first.Email))), "more than one panel user");
        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, VerifiedEmail("nobody-" + first.Email))), "does not belong to a panel user");
    }

    [Fact]
    public async Task KeysBehindARedirectAreNotFetched()
    {
        var (root, client) = await ConfigurationTokenAsync(PanelRoles.SuperAdministrator);
        var name = Unique("moved");
        var tenant = issuer.NewTenant(name);
        // Keys named directly, and keys found through a discovery document: both answer 302 to the real ones.
        var byJwksUrl = "https://idp.example.com/" + name;
        var byDiscovery = tenant.Issuer + "/redirect";
        await CreatedAsync(await SendAsync(client, HttpMethod.Post, ValidatorsUrl,
            new { name, issuer = byJwksUrl, jwksUrl = tenant.Issuer + "/redirect/jwks", audience = Audience }, root));
        await CreatedAsync(await SendAsync(client, HttpMethod.Post, ValidatorsUrl,
            new { name = name + "-discovery", issuer = byDiscovery, audience = Audience }, root));
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{name}@example.com");

        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, VerifiedEmail(user.Email), issuer: byJwksUrl)), "could not be fetched");
        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, VerifiedEmail(user.Email), issuer: byDiscovery)), "could not be fetched");
        Assert.Equal(0, tenant.JwksFetches);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace AccessTokenPanel.Tests.Api.ExternalTokens;

/// <summary>
/// The REST API accepting JWTs from trusted external issuers, against a real issuer (Kestrel serving
/// discovery and JWKS, real RSA keys), with validators managed through the Configuration API.
/// </summary>
public class ExternalTokenValidationTests(ExternalIssuerAppFactory factory, FakeIssuer issuer) : IClassFixture<ExternalIssuerAppFactory>, IClassFixture<FakeIssuer>
{
    private const string Audience = "access-token-panel";
    private static int _sequence;

    private DateTimeOffset Now => factory.Time.GetUtcNow();

    /// <summary>A Super Administrator's Configuration token, and the code of a fresh step from their authenticator for each change.</summary>
    private sealed record Admin(HttpClient Client, TestUser User, ApiAppFactory Factory)
    {
        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body = null)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            Factory.NextTotpStep();
            request.Headers.Add("X-OTP", User.CodeAt(Factory.Time.GetUtcNow()));
            return await Client.SendAsync(request);
        }
    }

    private async Task<Admin> AdminAsync()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"ext-admin-{Interlocked.Increment(ref _sequence)}@example.com",
            PanelRoles.SuperAdministrator);
        return new(factory.ClientWith(await factory.IssueTokenAsync(admin.Id, ApiType.Configuration, PanelRoles.SuperAdministrator)), admin, factory);
    }

    private static async Task<JsonElement> CreateValidatorAsync(Admin admin, object body)
    {
        var response = await admin.SendAsync(HttpMethod.Post, "/api/config/v1/external-token-validators", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>A tenant at the fake issuer, trusted by a validator found through discovery, and a panel user.</summary>
    private async Task<(FakeIssuer.Tenant Tenant, TestUser User, Admin Admin)> TrustedAsync(string userClaim = "email")
    {
        var name = $"tenant{Interlocked.Increment(ref _sequence)}";
        var tenant = issuer.NewTenant(name);
        var admin = await AdminAsync();
        await CreateValidatorAsync(admin, new { name, issuer = tenant.Issuer, audience = Audience, userClaim });
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{name}-user@example.com");
        return (tenant, user, admin);
    }

    private Task<HttpResponseMessage> CallAsync(string jwt) => factory.ClientWith(jwt).GetAsync("/api/v1/tokens");

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"invalid_token\"", challenge);
        Assert.Contains(reason, challenge);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AJwtFromATrustedIssuerCallsTheRestApiAsItsUser()
    {
        var (tenant, user, _) = await TrustedAsync();
        await factory.IssueTokenAsync(user.Id, ApiType.Rest, name: "users own token");

        var response = await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("users own token", Assert.Single(tokens.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await factory.ClientWith(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email))).GetAsync("/api/v1/tokens/current")).StatusCode);
    }

    [Fact]
    public async Task ASubjectValidatorMapsTheSubToTheUsersExternalId()
    {
        var (tenant, user, _) = await TrustedAsync(userClaim: "sub");
        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.ExternalId, "idp-42")));

        var bySub = await CallAsync(tenant.Sign(Now, Audience, new Dictionary<string, object> { ["sub"] = "idp-42" }));
        var byEmailOnly = await CallAsync(tenant.Sign(Now, Audience, new Dictionary<string, object> { ["sub"] = "someone-else", ["email"] = user.Email }));

        Assert.Equal(HttpStatusCode.OK, bySub.StatusCode);
        await AssertRefusedAsync(byEmailOnly, "does not belong to a panel user");
    }

    [Fact]
    public async Task AJwksUrlValidatorNeedsNoDiscovery()
    {
        var name = $"jwks{Interlocked.Increment(ref _sequence)}";
        var tenant = issuer.NewTenant(name);
        var admin = await AdminAsync();
        await CreateValidatorAsync(admin, new { name, issuer = "https://idp.example.com/" + name, jwksUrl = tenant.JwksUrl, audience = Audience });
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{name}@example.com");

        var response = await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email), issuer: "https://idp.example.com/" + name));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ATamperedOrWronglySignedTokenIsRefused()
    {
        var (tenant, user, _) = await TrustedAsync();
        var good = tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email));
        var parts = good.Split('.');
        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(parts[1])).RootElement.EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Name == "email" ? (object)"someone.else@example.com" : p.Value);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload))}.{parts[2]}";
        var impostor = FakeIssuer.NewKey();
        impostor.KeyId = tenant.SigningKey.KeyId;

        await AssertRefusedAsync(await CallAsync(tampered), "signature is not valid");
        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email), key: impostor)), "signature is not valid");
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(good)).StatusCode);
    }

    [Fact]
    public async Task WrongAudienceExpiredAndUntrustedIssuerAreRefused()
    {
        var (tenant, user, _) = await TrustedAsync();
        var claims = FakeIssuer.Email(user.Email);

        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, "another-app", claims)), "another audience");
        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, claims, lifetime: TimeSpan.FromMinutes(-5))), "expired");
        await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, claims, issuer: "https://evil.example.com")), "trusts this token's issuer");
        // Within the clock skew an exp just past is still accepted.
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(tenant.Sign(Now, Audience, claims, lifetime: TimeSpan.FromSeconds(-20)))).StatusCode);
    }

    [Fact]
    public async Task UnsignedAndHmacTokensAreRefused()
    {
        var (tenant, user, _) = await TrustedAsync();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var body = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = tenant.Issuer, ["aud"] = Audience, ["email"] = user.Email,
            ["exp"] = Now.AddMinutes(10).ToUnixTimeSeconds(), ["iat"] = Now.ToUnixTimeSeconds(),
        }));
        var unsigned = $"{header}.{body}.";
        // HMAC keyed with the issuer's public modulus: the classic RS256/HS256 confusion.
        var modulus = Microsoft.IdentityModel.Tokens.JsonWebKeyConverter.ConvertFromRSASecurityKey(tenant.SigningKey).N;
        var hmacKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(modulus)) { KeyId = tenant.SigningKey.KeyId };
        var hmac = tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email), key: hmacKey, algorithm: SecurityAlgorithms.HmacSha256);

        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(unsigned)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(hmac)).StatusCode);
    }

    [Fact]
    public async Task UnknownAndDisabledUsersAreRefused()
    {
        var (tenant, user, _) = await TrustedAsync();
        var unknown = await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email("nobody-here@example.com")));
        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true)));
        var disabled = await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email)));

        await AssertRefusedAsync(unknown, "does not belong to a panel user");
        await AssertRefusedAsync(disabled, "disabled");
    }

    [Fact]
    public async Task ARotatedKeyIsFetchedOnItsFirstUnknownKid()
    {
        var (tenant, user, _) = await TrustedAsync();
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email)))).StatusCode);
        Assert.Equal(1, tenant.JwksFetches);

        tenant.Rotate();
        factory.Time.Advance(TimeSpan.FromSeconds(11));
        var rotated = await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email)));

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(2, tenant.JwksFetches);
    }

    [Fact]
    public async Task MadeUpKidsDoNotMakeThePanelRefetchOnEveryRequest()
    {
        var (tenant, user, _) = await TrustedAsync();
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email)))).StatusCode);

        for (var i = 0; i < 3; i++)
        {
            await AssertRefusedAsync(await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email), key: FakeIssuer.NewKey())),
                "key its issuer does not publish");
        }

        Assert.Equal(1, tenant.JwksFetches);
    }

    [Fact]
    public async Task AnUnreachableIssuerIsAClear401()
    {
        var admin = await AdminAsync();
        var down = FakeIssuer.UnreachableIssuer();
        await CreateValidatorAsync(admin, new { name = "down " + Interlocked.Increment(ref _sequence), issuer = down, audience = Audience });
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"down-{_sequence}@example.com");
        var tenant = issuer.NewTenant("signer" + _sequence);

        var response = await CallAsync(tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email), issuer: down));

        await AssertRefusedAsync(response, "could not be fetched");
    }

    [Fact]
    public async Task DisablingOrDeletingTheValidatorStopsItsTokens()
    {
        var name = $"toggle{Interlocked.Increment(ref _sequence)}";
        var tenant = issuer.NewTenant(name);
        var admin = await AdminAsync();
        var created = await CreateValidatorAsync(admin, new { name, issuer = tenant.Issuer, audience = Audience });
        var id = created.GetProperty("id").GetString();
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{name}@example.com");
        var jwt = tenant.Sign(Now, Audience, FakeIssuer.Email(user.Email));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(jwt)).StatusCode);

        var disable = await admin.SendAsync(HttpMethod.Put, $"/api/config/v1/external-token-validators/{id}",
            new { name, issuer = tenant.Issuer, audience = Audience, userClaim = "email", enabled = false });
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.False((await disable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        await AssertRefusedAsync(await CallAsync(jwt), "trusts this token's issuer");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Delete, $"/api/config/v1/external-token-validators/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync($"/api/config/v1/external-token-validators/{id}")).StatusCode);
        var actions = await factory.WithDbAsync(db => db.AuditEntries.Where(a => a.SubjectId == id).Select(a => a.Action).ToListAsync());
        Assert.Equal(new[] { AuditActions.ExternalValidatorCreated, AuditActions.ExternalValidatorUpdated, AuditActions.ExternalValidatorDeleted }.Order(), actions.Order());
    }

    [Fact]
    public async Task BadValidatorInputIsAFieldByFieldProblem()
    {
        var admin = await AdminAsync();

        var response = await admin.SendAsync(HttpMethod.Post, "/api/config/v1/external-token-validators",
            new { name = "", issuer = "http://idp.example.com", jwksUrl = "ftp://x", audience = "", userClaim = "phone", maxRole = "Root" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["audience", "issuer", "jwksUrl", "maxRole", "name", "userClaim"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("https", errors.GetProperty("issuer")[0].GetString());
    }

    [Fact]
    public async Task AReadOnlyTokenListsValidatorsButCannotChangeThem()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"ext-ro-{Interlocked.Increment(ref _sequence)}@example.com", PanelRoles.SuperAdministrator);
        var readOnly = factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Configuration, PanelRoles.ReadOnly));

        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync("/api/config/v1/external-token-validators")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PostAsJsonAsync("/api/config/v1/external-token-validators",
            new { name = "x", issuer = "https://idp.example.com", audience = "a" })).StatusCode);
    }
}

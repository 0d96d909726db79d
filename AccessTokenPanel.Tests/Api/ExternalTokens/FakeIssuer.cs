using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AccessTokenPanel.Tests.Api.ExternalTokens;

/// <summary>
/// A real OpenID Connect issuer for the tests: Kestrel on a loopback port serving, per tenant,
/// <c>/{tenant}/.well-known/openid-configuration</c> and <c>/{tenant}/jwks</c>, and signing JWTs
/// with real RSA keys. A tenant's published keys can be rotated; counts show how often they were fetched.
/// </summary>
public sealed class FakeIssuer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Tenant> _tenants = new();
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public sealed class Tenant(string issuer)
    {
        public string Issuer { get; } = issuer;
        public string JwksUrl => Issuer + "/jwks";
        public List<RsaSecurityKey> PublishedKeys { get; } = [];
        public RsaSecurityKey SigningKey { get; set; } = null!;
        public int JwksFetches;

        /// <summary>Publishes a new key and signs with it from now on; the old one stays published unless <paramref name="retireOld"/>.</summary>
        public RsaSecurityKey Rotate(bool retireOld = true)
        {
            var key = NewKey();
            lock (PublishedKeys)
            {
                if (retireOld)
                {
                    PublishedKeys.Clear();
                }
                PublishedKeys.Add(key);
            }
            SigningKey = key;
            return key;
        }

        public string Sign(DateTimeOffset now, string audience, IDictionary<string, object> claims, TimeSpan? lifetime = null,
            SecurityKey? key = null, string? issuer = null, string algorithm = SecurityAlgorithms.RsaSha256)
        {
            var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
            var descriptor = new SecurityTokenDescriptor
            {
                Issuer = issuer ?? Issuer,
                Audience = audience,
                Claims = claims,
                IssuedAt = (expires < now ? expires : now).UtcDateTime.AddMinutes(-1),
                NotBefore = (expires < now ? expires : now).UtcDateTime.AddMinutes(-1),
                Expires = expires.UtcDateTime,
                SigningCredentials = new SigningCredentials(key ?? SigningKey, algorithm),
            };
            return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
        }
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N")[..12] };

    /// <summary>A tenant with one published signing key.</summary>
    public Tenant NewTenant(string name)
    {
        var tenant = new Tenant(new Uri(BaseAddress, name).ToString().TrimEnd('/'));
        tenant.Rotate();
        _tenants[name] = tenant;
        return tenant;
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/{tenant}/.well-known/openid-configuration", (string tenant) =>
            _tenants.TryGetValue(tenant, out var t)
                ? Results.Json(new Dictionary<string, object> { ["issuer"] = t.Issuer, ["jwks_uri"] = t.JwksUrl })
                : Results.NotFound());
        // A key server that moved: every path under /{tenant}/redirect/ answers 302 to the same path without it.
        _app.MapGet("/{tenant}/redirect/{**rest}", (string tenant, string rest) =>
            _tenants.TryGetValue(tenant, out var t) ? Results.Redirect($"{t.Issuer}/{rest}") : Results.NotFound());
        _app.MapGet("/{tenant}/jwks", (string tenant) =>
        {
            if (!_tenants.TryGetValue(tenant, out var t))
            {
                return Results.NotFound();
            }
            Interlocked.Increment(ref t.JwksFetches);
            List<Dictionary<string, string>> keys;
            lock (t.PublishedKeys)
            {
                keys = t.PublishedKeys.Select(k =>
                {
                    var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(k);
                    return new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = k.KeyId, ["n"] = jwk.N, ["e"] = jwk.E };
                }).ToList();
            }
            return Results.Json(new { keys });
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First().TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>A loopback address nothing listens on.</summary>
    public static string UnreachableIssuer()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/down";
    }

    /// <summary>The claims of a token for this email, verified by the issuer (as an email validator requires).</summary>
    public static Dictionary<string, object> Email(string email) => new() { ["email"] = email, ["email_verified"] = true, ["sub"] = "sub-" + email };
}

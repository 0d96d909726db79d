using System.Net;
using AccessTokenPanel.Tests.Infrastructure;

namespace AccessTokenPanel.Tests.Hosting;

/// <summary>Every response, page or API, success or error, carries the browser hardening headers.</summary>
public sealed class SecurityHeadersTests(PanelAppFactory factory) : IClassFixture<PanelAppFactory>
{
    [Theory]
    [InlineData("/account/login", HttpStatusCode.OK)]
    [InlineData("/tokens", HttpStatusCode.Redirect)]
    [InlineData("/api/v1/tokens", HttpStatusCode.Unauthorized)]
    [InlineData("/api/config/v1/settings", HttpStatusCode.Unauthorized)]
    [InlineData("/scim/v2/Users", HttpStatusCode.Unauthorized)]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/no/such/thing", HttpStatusCode.NotFound)]
    public async Task PagesAndApisSendTheSecurityHeaders(string path, HttpStatusCode expected)
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")));
        // Plain HTTP: no HSTS (it only means something over HTTPS).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}

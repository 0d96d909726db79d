using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Api.ExternalTokens;

/// <summary>
/// Where signing keys may come from, in an environment that is not Development (the tests' own,
/// <c>Testing</c>): https only, loopback http included.
/// </summary>
public class ExternalTokenUrlRuleTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    [Fact]
    public async Task AnHttpIssuerOrJwksUrlIsRefusedOutsideDevelopment()
    {
        var root = await TestUsers.CreateEnrolledUserAsync(factory.Services, "url-rule-root@example.com", PanelRoles.SuperAdministrator);
        var client = factory.ClientWith(await factory.IssueTokenAsync(root.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/config/v1/external-token-validators")
        {
            Content = JsonContent.Create(new { name = "loopback", issuer = "http://127.0.0.1:5099/idp", jwksUrl = "http://localhost:5099/idp/jwks", audience = "a" }),
        };
        request.Headers.Add("X-OTP", root.CodeAt(factory.Time.GetUtcNow()));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["issuer", "jwksUrl"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.False(await factory.WithDbAsync(db => db.ExternalTokenValidators.AnyAsync(v => v.Name == "loopback")));
    }

    [Theory]
    [InlineData("https://login.example.com/tenant", false, true)]
    [InlineData("https://127.0.0.1:8443/idp", false, true)]
    [InlineData("http://127.0.0.1:5099/idp", false, false)]
    [InlineData("http://localhost:5099/idp", false, false)]
    [InlineData("http://[::1]:5099/idp", false, false)]
    [InlineData("http://127.0.0.1:5099/idp", true, true)]
    [InlineData("http://localhost:5099/idp", true, true)]
    [InlineData("http://login.example.com/tenant", true, false)]
    [InlineData("https://user:secret@login.example.com", true, false)]
    [InlineData("ftp://login.example.com", true, false)]
    [InlineData("login.example.com", true, false)]
    public void PlainHttpIsTrustedOnlyToThisMachineAndOnlyInDevelopment(string url, bool development, bool trusted) =>
        Assert.Equal(trusted, ExternalTokenValidators.IsTrustedUrl(url, allowLoopbackHttp: development));

    [Fact]
    public void OutsideDevelopmentTheHostDoesNotAllowLoopbackHttp()
    {
        // What the app's own registration decides, read from its services (this fixture runs in Testing).
        Assert.False(factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExternalIssuerUrlOptions>>().Value.AllowLoopbackHttp);
    }
}

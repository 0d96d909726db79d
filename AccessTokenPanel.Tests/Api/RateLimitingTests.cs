using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Tests.Infrastructure;

namespace AccessTokenPanel.Tests.Api;

public class RateLimitingTests : IClassFixture<RateLimitingTests.LowLimitFactory>
{
    public class LowLimitFactory : PanelAppFactory
    {
        public LowLimitFactory()
        {
            Settings["RateLimiting:Credentials:PermitLimit"] = "3";
            Settings["RateLimiting:Credentials:Window"] = "00:10:00";
        }
    }

    private readonly LowLimitFactory _factory;

    public RateLimitingTests(LowLimitFactory factory) => _factory = factory;

    [Fact]
    public async Task CredentialAttemptsBeyondTheLimitGet429ProblemDetailsWithRetryAfter()
    {
        var client = _factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 4; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/user-token");
            request.Headers.Authorization = Api.ApiAppFactory.Basic($"guess{i}@example.com", "guess");
            request.Headers.Add("X-OTP", "123456");
            last = await client.SendAsync(request);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(last.Headers.RetryAfter);
        Assert.Contains("Too many attempts", (await last.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}

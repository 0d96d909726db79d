using System.Net;
using AccessTokenPanel.Tests.Api;

namespace AccessTokenPanel.Tests.Account;

/// <summary>The pages that take a password or a code share the API's credentials rate limit (3 here).</summary>
public class SignInRateLimitTests
{
    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/login/two-factor")]
    [InlineData("/account/login/recovery")]
    [InlineData("/account/setup")]
    [InlineData("/account/two-factor")]
    public async Task FormPostsBeyondTheLimitGet429WhileShowingTheFormStaysFree(string path)
    {
        await using var factory = new RateLimitingTests.LowLimitFactory();
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        for (var i = 0; i < 5; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.GetAsync(path)).StatusCode);
        }
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "someone@example.com" });
            statuses.Add((await client.PostAsync(path, form)).StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(3));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
    }
}

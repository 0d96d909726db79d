using System.Net;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>What the token screens' browser tests do again and again, by role and accessible name.</summary>
internal static class TokenScreenBrowser
{
    /// <summary>
    /// Goes to <paramref name="path"/> and waits until the circuit is live (the layout's marker);
    /// clicks on a prerendered page would otherwise be lost.
    /// </summary>
    public static Task GotoInteractiveAsync(this IPage page, string path) => BrowserTest.GotoInteractiveAsync(page, path);

    public static Task WaitForInteractiveAsync(this IPage page) => BrowserTest.WaitForInteractiveAsync(page);

    public static ILocator Row(this IPage page, string text) => page.GetByRole(AriaRole.Row).Filter(new() { HasText = text });

    /// <summary>Calls the REST API with the secret over real HTTP, as a script would after copying it.</summary>
    public static async Task AssertSecretAsync(Uri baseAddress, string secret, TokenValidationStatus expected)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        var response = await http.GetAsync("/api/v1/tokens");
        if (expected == TokenValidationStatus.Valid)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
        Assert.Contains(new TokenValidationResult(expected).Description, challenge.Parameter);
    }
}

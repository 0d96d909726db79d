using System.Net;
using AccessTokenPanel.Tests.Infrastructure;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AccessTokenPanel.Tests.Account;

/// <summary>
/// A client that sends exactly the cookies a test gives it (as an attacker replaying a copied
/// cookie would), never following redirects.
/// </summary>
internal sealed class RawCookies(PanelAppFactory factory) : IDisposable
{
    private readonly HttpClient _http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public Dictionary<string, string> Jar { get; } = new();

    /// <summary>The cookie values a response sets, by name (an empty value means deleted).</summary>
    public static Dictionary<string, string> SetBy(HttpResponseMessage response)
    {
        var cookies = new Dictionary<string, string>();
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var header in values)
            {
                var pair = header.Split(';', 2)[0];
                var equals = pair.IndexOf('=');
                cookies[pair[..equals]] = pair[(equals + 1)..];
            }
        }
        return cookies;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (Jar.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Jar.Select(c => $"{c.Key}={c.Value}")));
        }
        var response = await _http.SendAsync(request);
        foreach (var (name, value) in SetBy(response))
        {
            if (value.Length == 0)
            {
                Jar.Remove(name);
            }
            else
            {
                Jar[name] = value;
            }
        }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    /// <summary>Posts a Blazor form by hand: the antiforgery token comes from <paramref name="tokenPage"/> loaded with this jar.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string url, string tokenPage, IDictionary<string, string> fields)
    {
        var page = await GetAsync(tokenPage);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await FormClient.ParseAsync(page);
        var token = document.QuerySelector("input[name=__RequestVerificationToken]") as IHtmlInputElement
            ?? throw new InvalidOperationException($"No antiforgery token on {tokenPage}.");
        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Value };
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(values) });
    }

    public void Dispose() => _http.Dispose();
}

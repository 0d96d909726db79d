using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// A browser without JavaScript over WebApplicationFactory: keeps cookies, does not follow
/// redirects (tests look at them), and submits a page's form with its hidden fields (antiforgery
/// token, Blazor's _handler) as a browser would.
/// </summary>
public sealed class FormClient(HttpClient http) : IDisposable
{
    public FormClient(PanelAppFactory factory)
        : this(factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            // The real port once StartKestrel has run (tests that need a real client address).
            BaseAddress = factory.ClientOptions.BaseAddress,
        }))
    {
    }

    /// <summary>Any HttpClient (e.g. to a load balancer); it should keep cookies and not follow redirects.</summary>
    public HttpClient Http { get; } = http;

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(url);

    public async Task<IHtmlDocument> GetDocumentAsync(string url)
    {
        var response = await Http.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {response.Headers.Location}");
        return await ParseAsync(response);
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>
    /// Loads <paramref name="url"/>, fills the form holding <paramref name="fields"/>' first field
    /// (or the first form) and posts it. <paramref name="button"/> adds a submit button's name=value.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitAsync(string url, IDictionary<string, string> fields, (string Name, string Value)? button = null, bool withAntiforgery = true)
    {
        var document = await GetDocumentAsync(url);
        return await SubmitAsync(document, url, fields, button, withAntiforgery);
    }

    public async Task<HttpResponseMessage> SubmitAsync(IHtmlDocument document, string url, IDictionary<string, string> fields, (string Name, string Value)? button = null, bool withAntiforgery = true)
    {
        var forms = document.Forms.ToList();
        var key = fields.Keys.FirstOrDefault() ?? button?.Name;
        var form = forms.FirstOrDefault(f => key is not null && f.QuerySelector($"[name='{key}']") is not null) ?? forms.First();
        var values = new List<KeyValuePair<string, string>>();
        foreach (var hidden in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
        {
            if (!withAntiforgery && hidden.Name == "__RequestVerificationToken")
            {
                continue;
            }
            if (!fields.ContainsKey(hidden.Name!))
            {
                values.Add(new(hidden.Name!, hidden.Value));
            }
        }
        values.AddRange(fields);
        if (button is { } b)
        {
            values.Add(new(b.Name, b.Value));
        }
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? url : form.GetAttribute("action")!;
        return await Http.PostAsync(action, new FormUrlEncodedContent(values));
    }

    /// <summary>A redirect's target as path and query, whether the app sent it absolute or relative.</summary>
    public static string LocationOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException($"No redirect: {(int)response.StatusCode}.");
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    public void Dispose() => Http.Dispose();
}

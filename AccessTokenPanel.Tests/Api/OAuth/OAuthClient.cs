using System.Net.Http.Json;
using System.Text.Json;

namespace AccessTokenPanel.Tests.Api.OAuth;

/// <summary>Form posts to the OAuth endpoints, as an OAuth client library would send them.</summary>
internal static class OAuthClient
{
    public static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, params (string Name, string Value)[] fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    public static Task<HttpResponseMessage> ExchangeAsync(HttpClient client, string refreshToken) =>
        PostFormAsync(client, "/api/v1/oauth/token", ("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    public static async Task<string> AccessTokenAsync(HttpClient client, string refreshToken)
    {
        var response = await ExchangeAsync(client, refreshToken);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public static async Task<(string Error, string Description)> ErrorOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Contains("\"error\"", StringComparison.Ordinal), $"{(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        return (body.GetProperty("error").GetString()!, body.GetProperty("error_description").GetString()!);
    }
}

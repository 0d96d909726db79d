using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;

namespace AccessTokenPanel.Tests.Api.Scim;

/// <summary>Sends what an identity provider sends: application/scim+json with a SCIM token.</summary>
public sealed class ScimTestClient(HttpClient http)
{
    public const string ContentType = "application/scim+json";

    public static async Task<ScimTestClient> CreateAsync(ApiAppFactory factory, string ownerEmail, string role = PanelRoles.SuperAdministrator)
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, ownerEmail, role);
        return new ScimTestClient(factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Scim)));
    }

    public HttpClient Http => http;

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body = null, string contentType = ContentType)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            var json = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }
        return http.SendAsync(request);
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)!.AsObject();
    }

    public static object NewUser(string userName, string? externalId = null, bool active = true) => new Dictionary<string, object?>
    {
        ["schemas"] = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" },
        ["userName"] = userName,
        ["externalId"] = externalId,
        ["name"] = new { givenName = "Ada", familyName = "Lovelace" },
        ["emails"] = new[] { new { value = userName, type = "work", primary = true } },
        ["active"] = active,
    };
}

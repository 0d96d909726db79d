using System.Text.Json;
using System.Text.Json.Nodes;

namespace AccessTokenPanel.Web.Api.Scim;

/// <summary>RFC 7644 3.12 error responses.</summary>
internal static class ScimError
{
    public const string Schema = "urn:ietf:params:scim:api:messages:2.0:Error";

    public static JsonObject Body(int status, string? scimType, string detail)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(Schema),
            ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["detail"] = detail,
        };
        if (scimType is not null)
        {
            body["scimType"] = scimType;
        }
        return body;
    }

    public static async Task WriteAsync(HttpContext http, int status, string? scimType, string detail)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = ScimJson.ContentType;
        await http.Response.WriteAsync(Body(status, scimType, detail).ToJsonString(ScimJson.Options), http.RequestAborted);
    }
}

internal static class ScimJson
{
    public const string ContentType = "application/scim+json";
    // Relaxed escaping keeps ETags (W/"...") and non-ASCII names readable; the body is JSON, never HTML.
    public static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

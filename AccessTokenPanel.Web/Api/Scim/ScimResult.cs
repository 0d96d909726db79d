using System.Text.Json.Nodes;

namespace AccessTokenPanel.Web.Api.Scim;

/// <summary>A SCIM response: <c>application/scim+json</c>, with Location for created resources.</summary>
internal sealed class ScimResult(int status, JsonNode? body, string? location = null) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        if (location is not null)
        {
            httpContext.Response.Headers.Location = location;
        }
        if (body is null)
        {
            return;
        }
        httpContext.Response.ContentType = ScimJson.ContentType;
        await httpContext.Response.WriteAsync(body.ToJsonString(ScimJson.Options), httpContext.RequestAborted);
    }

    public static ScimResult Ok(JsonNode body) => new(StatusCodes.Status200OK, body);
    public static ScimResult Created(JsonObject body) => new(StatusCodes.Status201Created, body, body["meta"]?["location"]?.GetValue<string>());
    public static ScimResult NoContent() => new(StatusCodes.Status204NoContent, null);
    public static ScimResult Error(int status, string? scimType, string detail) => new(status, ScimError.Body(status, scimType, detail));
    /// <summary>The one mapping of Domain refusals to SCIM errors: the status from the error's kind.</summary>
    public static ScimResult From(DomainError error) => Error(ApiProblems.StatusOf(error.Kind), null, error.Message);

    /// <summary>
    /// The permission table's verdict on a SCIM read (<paramref name="operation"/>) for the calling
    /// token as its actor; null when allowed.
    /// </summary>
    public static async Task<ScimResult?> RefuseAsync(HttpRequest request, Domain.Authorization.Operation operation)
    {
        var guard = request.HttpContext.RequestServices.GetRequiredService<Domain.Authorization.OperationGuard>();
        var refused = await guard.AuthorizeAsync(request.HttpContext.User.UserActor("SCIM API"), operation,
            cancellationToken: request.HttpContext.RequestAborted);
        return refused is null ? null : From(refused);
    }

    public static ScimResult NotFound(string resource, string id) => Error(StatusCodes.Status404NotFound, null, $"{resource} {id} not found.");
    public static ScimResult BadRequest(string scimType, string detail) => Error(StatusCodes.Status400BadRequest, scimType, detail);
}

/// <summary>Reads a SCIM request body: application/scim+json or application/json, a JSON object.</summary>
internal static class ScimRequest
{
    public static async Task<(JsonObject? Body, ScimResult? Error)> ReadAsync(HttpRequest request)
    {
        if (!ApiJson.IsJson(request.ContentType, ScimJson.ContentType, "application/json"))
        {
            return (null, ScimResult.Error(StatusCodes.Status415UnsupportedMediaType, null,
                "Send the body as application/scim+json (or application/json)."));
        }
        var (body, problem) = await ApiJson.ReadObjectAsync(request);
        return body is not null ? (body, null) : (null, ScimResult.BadRequest("invalidSyntax", problem!));
    }

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{ScimApi.Prefix}";

    /// <summary>RFC 7644 3.4.2.4: startIndex is 1-based (below 1 means 1); count is capped and never negative.</summary>
    public static (int StartIndex, int Count) Paging(HttpRequest request)
    {
        var startIndex = int.TryParse(request.Query["startIndex"], out var s) && s > 1 ? s : 1;
        var count = int.TryParse(request.Query["count"], out var c) ? Math.Clamp(c, 0, ScimApi.MaxResults) : ScimApi.DefaultCount;
        return (startIndex, count);
    }

    public static JsonObject ListResponse(int totalResults, int startIndex, IEnumerable<JsonNode> resources)
    {
        var array = new JsonArray(resources.ToArray());
        return new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:ListResponse"),
            ["totalResults"] = totalResults,
            ["startIndex"] = startIndex,
            ["itemsPerPage"] = array.Count,
            ["Resources"] = array,
        };
    }

    /// <summary>Strips a schema URN from an attribute path (<c>urn:...:User:active</c> is <c>active</c>).</summary>
    public static string AttributePath(string path)
    {
        foreach (var schema in new[] { ScimSchemas.User, ScimSchemas.Group })
        {
            if (path.StartsWith(schema + ":", StringComparison.OrdinalIgnoreCase))
            {
                return path[(schema.Length + 1)..];
            }
        }
        return path;
    }
}

internal static class ScimSchemas
{
    public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string Group = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
}

using System.Text.Json.Nodes;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Telemetry;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Authentication;

namespace AccessTokenPanel.Web.Api.Scim;

/// <summary>
/// <c>/scim/v2</c>: SCIM 2.0 (RFC 7643/7644) provisioning of panel users and role membership, with a
/// SCIM API token whose owner holds <see cref="Permission.UsersWrite"/> at the time of the call.
/// </summary>
internal static class ScimApi
{
    public const string Prefix = "/scim/v2";
    public const int MaxResults = 200;
    public const int DefaultCount = 100;

    public static RouteGroupBuilder MapScimApi(this IEndpointRouteBuilder endpoints)
    {
        var scim = endpoints.MapGroup(Prefix).RequireApiToken(ApiType.Scim).ExcludeFromDescription();
        // Discovery (RFC 7644 §4) describes the service and holds no data: any SCIM token may read it.
        var discovery = scim.MapGroup("").PerformsNoOperation("SCIM discovery: describes the service, holds no data.");
        discovery.MapGet("/ServiceProviderConfig", (HttpRequest request) => ScimResult.Ok(ServiceProviderConfig(ScimRequest.BaseUrl(request))));
        discovery.MapGet("/ResourceTypes", (HttpRequest request) =>
            ScimResult.Ok(ScimRequest.ListResponse(2, 1, ResourceTypes(ScimRequest.BaseUrl(request)))));
        discovery.MapGet("/ResourceTypes/{name}", (string name, HttpRequest request) =>
            ResourceTypes(ScimRequest.BaseUrl(request)).FirstOrDefault(r => string.Equals((string?)r["id"], name, StringComparison.OrdinalIgnoreCase)) is { } type
                ? ScimResult.Ok(type)
                : ScimResult.NotFound("ResourceType", name));
        discovery.MapGet("/Schemas", (HttpRequest request) => ScimResult.Ok(ScimRequest.ListResponse(2, 1, Schemas(ScimRequest.BaseUrl(request)))));
        discovery.MapGet("/Schemas/{id}", (string id, HttpRequest request) =>
            Schemas(ScimRequest.BaseUrl(request)).FirstOrDefault(s => string.Equals((string?)s["id"], id, StringComparison.OrdinalIgnoreCase)) is { } schema
                ? ScimResult.Ok(schema)
                : ScimResult.NotFound("Schema", id));

        var resources = scim.MapGroup("").RequirePermission(Permission.UsersWrite);
        resources.AddEndpointFilter(CountOperation);
        resources.MapScimUsers();
        resources.MapScimGroups();
        return scim;
    }

    // Counted when the answer is complete, so the outcome is the status the client got.
    private static ValueTask<object?> CountOperation(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        var resource = route.Contains("/Groups", StringComparison.Ordinal) ? "Groups" : "Users";
        http.Response.OnCompleted(() =>
        {
            PanelMetrics.ScimOperation(resource, http.Request.Method, http.Response.StatusCode);
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static JsonObject ServiceProviderConfig(string baseUrl) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"),
        ["documentationUri"] = "https://datatracker.ietf.org/doc/html/rfc7644",
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = MaxResults },
        ["changePassword"] = new JsonObject { ["supported"] = true },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = false },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken",
            ["name"] = "Bearer token",
            ["description"] = "A SCIM API token from the panel's Access tokens page: Authorization: Bearer atp_scim_...",
            ["primary"] = true,
        }),
        ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig", ["location"] = $"{baseUrl}/ServiceProviderConfig" },
    };

    private static List<JsonObject> ResourceTypes(string baseUrl) =>
    [
        new()
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ResourceType"),
            ["id"] = "User", ["name"] = "User", ["endpoint"] = "/Users", ["description"] = "Panel administrators",
            ["schema"] = ScimSchemas.User, ["schemaExtensions"] = new JsonArray(),
            ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = $"{baseUrl}/ResourceTypes/User" },
        },
        new()
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ResourceType"),
            ["id"] = "Group", ["name"] = "Group", ["endpoint"] = "/Groups", ["description"] = "Panel roles",
            ["schema"] = ScimSchemas.Group, ["schemaExtensions"] = new JsonArray(),
            ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = $"{baseUrl}/ResourceTypes/Group" },
        },
    ];

    private static List<JsonObject> Schemas(string baseUrl) =>
    [
        Schema(baseUrl, ScimSchemas.User, "User", "Panel administrator",
            Attribute("userName", "string", required: true, uniqueness: "server", description: "The user's email address, used to sign in."),
            Attribute("name", "complex", subAttributes: [Attribute("formatted", "string"), Attribute("givenName", "string"), Attribute("familyName", "string")]),
            Attribute("displayName", "string"),
            Attribute("emails", "complex", multiValued: true,
                subAttributes: [Attribute("value", "string"), Attribute("type", "string"), Attribute("primary", "boolean")]),
            Attribute("active", "boolean", description: "False when the user is disabled: no sign-in, no working tokens."),
            Attribute("password", "string", mutability: "writeOnly", returned: "never"),
            Attribute("groups", "complex", multiValued: true, mutability: "readOnly",
                subAttributes: [Attribute("value", "string", mutability: "readOnly"), Attribute("display", "string", mutability: "readOnly")])),
        Schema(baseUrl, ScimSchemas.Group, "Group", "Panel role (fixed set; members can change)",
            Attribute("displayName", "string", required: true, mutability: "readOnly", uniqueness: "server"),
            Attribute("members", "complex", multiValued: true,
                subAttributes: [Attribute("value", "string", mutability: "immutable"), Attribute("display", "string", mutability: "readOnly")])),
    ];

    private static JsonObject Schema(string baseUrl, string id, string name, string description, params JsonObject[] attributes) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Schema"),
        ["id"] = id,
        ["name"] = name,
        ["description"] = description,
        ["attributes"] = new JsonArray(attributes),
        ["meta"] = new JsonObject { ["resourceType"] = "Schema", ["location"] = $"{baseUrl}/Schemas/{id}" },
    };

    private static JsonObject Attribute(string name, string type, bool multiValued = false, bool required = false,
        string mutability = "readWrite", string returned = "default", string uniqueness = "none", string? description = null,
        JsonObject[]? subAttributes = null)
    {
        var attribute = new JsonObject
        {
            ["name"] = name,
            ["type"] = type,
            ["multiValued"] = multiValued,
            ["required"] = required,
            ["caseExact"] = false,
            ["mutability"] = mutability,
            ["returned"] = returned,
            ["uniqueness"] = uniqueness,
        };
        if (description is not null)
        {
            attribute["description"] = description;
        }
        if (subAttributes is not null)
        {
            attribute["subAttributes"] = new JsonArray(subAttributes);
        }
        return attribute;
    }
}

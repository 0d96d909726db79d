using System.Text.Json;
using System.Text.Json.Nodes;

namespace AccessTokenPanel.Web.Api.Scim;

/// <summary>Lenient readers for values identity providers send (Entra sends booleans as "False").</summary>
internal static class ScimValues
{
    public static string? String(JsonNode? node) =>
        node is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
                _ => null,
            }
            : null;

    public static bool? Boolean(JsonNode? node) =>
        node is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when bool.TryParse(value.GetValue<string>(), out var parsed) => parsed,
                _ => null,
            }
            : null;

    /// <summary>The property of an object, by case-insensitive name (SCIM attribute names are case-insensitive).</summary>
    public static JsonNode? Get(JsonObject obj, string name)
    {
        foreach (var (key, value) in obj)
        {
            if (string.Equals(ScimRequest.AttributePath(key), name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }

    public static bool Has(JsonObject obj, string name) =>
        obj.Any(p => string.Equals(ScimRequest.AttributePath(p.Key), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The primary email's value, or the first one's.</summary>
    public static string? PrimaryEmail(JsonNode? emails)
    {
        if (emails is not JsonArray array)
        {
            return null;
        }
        var objects = array.OfType<JsonObject>().ToList();
        var primary = objects.FirstOrDefault(e => Boolean(Get(e, "primary")) == true) ?? objects.FirstOrDefault();
        return primary is null ? null : String(Get(primary, "value"));
    }

    /// <summary>displayName, else name.formatted, else givenName familyName.</summary>
    public static string? DisplayName(JsonObject resource)
    {
        if (String(Get(resource, "displayName")) is { Length: > 0 } displayName)
        {
            return displayName;
        }
        if (Get(resource, "name") is JsonObject name)
        {
            if (String(Get(name, "formatted")) is { Length: > 0 } formatted)
            {
                return formatted;
            }
            var joined = $"{String(Get(name, "givenName"))} {String(Get(name, "familyName"))}".Trim();
            return joined.Length > 0 ? joined : null;
        }
        return null;
    }
}

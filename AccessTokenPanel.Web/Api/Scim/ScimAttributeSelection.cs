using System.Text.Json.Nodes;

namespace AccessTokenPanel.Web.Api.Scim;

/// <summary>
/// RFC 7644 3.9: <c>attributes=</c> returns only the named attributes (plus those always returned,
/// <c>schemas</c> and <c>id</c>); <c>excludedAttributes=</c> leaves the named ones out. Names are
/// case-insensitive, may carry the schema URN, and may name a sub-attribute (<c>name.givenName</c>,
/// <c>emails.value</c>), which applies to each value of a multi-valued attribute.
/// </summary>
internal sealed class ScimAttributeSelection
{
    private static readonly string[] AlwaysReturned = ["schemas", "id"];
    private readonly List<(string Attribute, string? Sub)> _included;
    private readonly List<(string Attribute, string? Sub)> _excluded;

    private ScimAttributeSelection(List<(string, string?)> included, List<(string, string?)> excluded)
    {
        _included = included;
        _excluded = excluded;
    }

    public static ScimAttributeSelection From(HttpRequest request) =>
        new(Paths(request.Query["attributes"]), Paths(request.Query["excludedAttributes"]));

    /// <summary>Would this top-level attribute be returned? (Lets a caller skip building it.)</summary>
    public bool Returns(string attribute) =>
        AlwaysReturned.Contains(attribute, StringComparer.OrdinalIgnoreCase)
        || ((_included.Count == 0 || _included.Any(p => Same(p.Attribute, attribute)))
            && !_excluded.Any(p => p.Sub is null && Same(p.Attribute, attribute)));

    public JsonObject Apply(JsonObject resource)
    {
        if (_included.Count == 0 && _excluded.Count == 0)
        {
            return resource;
        }
        var result = new JsonObject();
        foreach (var (key, value) in resource.ToList())
        {
            resource.Remove(key);
            if (AlwaysReturned.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                result[key] = value;
                continue;
            }
            JsonNode? kept = value;
            if (_included.Count > 0)
            {
                var asked = _included.Where(p => Same(p.Attribute, key)).ToList();
                if (asked.Count == 0)
                {
                    continue;
                }
                if (asked.All(p => p.Sub is not null))
                {
                    kept = KeepOnly(value, asked.Select(p => p.Sub!).ToList());
                }
            }
            var dropped = _excluded.Where(p => Same(p.Attribute, key)).ToList();
            if (dropped.Any(p => p.Sub is null))
            {
                continue;
            }
            if (dropped.Count > 0)
            {
                kept = Drop(kept, dropped.Select(p => p.Sub!).ToList());
            }
            result[key] = kept;
        }
        return result;
    }

    private static JsonNode? KeepOnly(JsonNode? value, List<string> subs) => value switch
    {
        JsonObject complex => new JsonObject(complex.ToList().Where(p => subs.Any(s => Same(s, p.Key)))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
        JsonArray values => new JsonArray(values.Select(v => KeepOnly(v, subs)).ToArray()),
        _ => value?.DeepClone(),
    };

    private static JsonNode? Drop(JsonNode? value, List<string> subs) => value switch
    {
        JsonObject complex => new JsonObject(complex.ToList().Where(p => !subs.Any(s => Same(s, p.Key)))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
        JsonArray values => new JsonArray(values.Select(v => Drop(v, subs)).ToArray()),
        _ => value?.DeepClone(),
    };

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static List<(string, string?)> Paths(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ScimRequest.AttributePath)
            .Select(path => path.Split('.', 2) is [var attribute, var sub] ? (attribute, (string?)sub) : (path, null))
            .ToList();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;

namespace AccessTokenPanel.Web.Api;

/// <summary>
/// The one way the APIs read JSON they do not bind to a type (SCIM): UTF-8 only, no duplicate
/// keys, and every string (names and values) checked to be valid Unicode up front, so that no
/// handler meets an exception halfway through a change.
/// </summary>
internal static class ApiJson
{
    /// <summary>Duplicate keys are ambiguous (which one wins differs between readers), so they are refused.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    /// <summary>Is the body declared as JSON (<c>application/json</c>, or <c>application/*+json</c>)?</summary>
    public static bool IsJson(string? contentType, params string[] mediaTypes) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && mediaTypes.Any(m => parsed.MediaType.Equals(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Null when the Content-Type names no charset or UTF-8 (RFC 8259 8.1: JSON between systems is
    /// UTF-8); otherwise why the body cannot be read.
    /// </summary>
    public static string? CharsetProblem(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return $"The Content-Type '{contentType}' is not a valid media type.";
        }
        var charset = parsed.Charset.ToString().Trim('"');
        return charset.Length == 0 || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"The charset '{charset}' is not supported: send the body as UTF-8 (charset=utf-8, or no charset).";
    }

    /// <summary>Reads the body as one JSON object, or says why it cannot be read.</summary>
    public static async Task<(JsonObject? Body, string? Problem)> ReadObjectAsync(HttpRequest request)
    {
        if (CharsetProblem(request.ContentType) is { } charsetProblem)
        {
            return (null, charsetProblem);
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, DocumentOptions, request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            return (null, $"The body is not valid JSON: {ex.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "The body must be a JSON object.");
            }
            if (InvalidString(document.RootElement, "") is { } path)
            {
                return (null, $"The string at '{path}' is not valid Unicode (a lone UTF-16 surrogate such as \\ud800): send well-formed text.");
            }
            return (JsonObject.Create(document.RootElement.Clone()), null);
        }
    }

    /// <summary>The path of the first name or string value that cannot be read as text, if any.</summary>
    private static string? InvalidString(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element) ? null : (path.Length == 0 ? "$" : path);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path.Length == 0 ? "(a property name)" : $"{path}.(a property name)";
                    }
                    if (InvalidString(property.Value, path.Length == 0 ? name : $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (InvalidString(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Readable(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

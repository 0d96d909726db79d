using System.Text.Json;
using System.Text.RegularExpressions;

namespace AccessTokenPanel.Web.Api.Scim;

/// <summary>
/// The subset of RFC 7644 3.4.2.2 filters that identity providers send: one <c>attribute eq value</c>
/// comparison (e.g. <c>userName eq "ada@example.com"</c>, <c>externalId eq "00u1"</c>).
/// </summary>
internal sealed partial record ScimFilter(string Attribute, string Value)
{
    public static (ScimFilter? Filter, ScimResult? Error) Parse(string? filter, IReadOnlyCollection<string> attributes)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return (null, null);
        }
        var match = Comparison().Match(filter);
        if (!match.Success)
        {
            return (null, ScimResult.BadRequest("invalidFilter",
                $"The filter '{filter}' is not supported: use one comparison such as userName eq \"ada@example.com\"."));
        }
        var attribute = ScimRequest.AttributePath(match.Groups["attr"].Value);
        var known = attributes.FirstOrDefault(a => string.Equals(a, attribute, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            return (null, ScimResult.BadRequest("invalidFilter",
                $"Filtering on '{attribute}' is not supported; filter on {string.Join(", ", attributes)}."));
        }
        if (!string.Equals(match.Groups["op"].Value, "eq", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ScimResult.BadRequest("invalidFilter", $"Only the eq operator is supported, not '{match.Groups["op"].Value}'."));
        }
        var raw = match.Groups["value"].Value.Trim();
        string value;
        try
        {
            value = raw.StartsWith('"') ? JsonSerializer.Deserialize<string>(raw) ?? "" : raw;
        }
        catch (JsonException)
        {
            return (null, ScimResult.BadRequest("invalidFilter", $"The value {raw} is not a valid quoted string."));
        }
        return (new ScimFilter(known, value), null);
    }

    [GeneratedRegex("""^\s*(?<attr>[A-Za-z][\w:.\-]*)\s+(?<op>[A-Za-z]{2})\s+(?<value>"(?:[^"\\]|\\.)*"|true|false|null|[\w.\-@+]+)\s*$""")]
    private static partial Regex Comparison();
}

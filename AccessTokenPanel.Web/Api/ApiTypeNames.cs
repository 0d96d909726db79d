using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Web.Api;

/// <summary>How the APIs spell API types on the wire: <c>configuration</c>, <c>scim</c>, <c>rest</c>.</summary>
internal static class ApiTypeNames
{
    public static string ToWire(this ApiType api) => api switch
    {
        ApiType.Configuration => "configuration",
        ApiType.Scim => "scim",
        ApiType.Rest => "rest",
        _ => api.ToString().ToLowerInvariant(),
    };

    public static ApiType? FromWire(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "configuration" or "configuration api" or "config" => ApiType.Configuration,
        "scim" or "scim api" => ApiType.Scim,
        "rest" or "rest api" => ApiType.Rest,
        _ => null,
    };

    public const string Allowed = "configuration, scim or rest";
}

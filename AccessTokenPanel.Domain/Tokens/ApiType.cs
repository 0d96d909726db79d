namespace AccessTokenPanel.Domain.Tokens;

/// <summary>The API a token is issued for; a token is refused by the others.</summary>
public enum ApiType
{
    Configuration = 1,
    Scim = 2,
    Rest = 3,
}

public static class ApiTypes
{
    public static IReadOnlyList<ApiType> All { get; } = [ApiType.Configuration, ApiType.Scim, ApiType.Rest];

    public static string DisplayName(this ApiType api) => api switch
    {
        ApiType.Configuration => "Configuration API",
        ApiType.Scim => "SCIM API",
        ApiType.Rest => "REST API",
        _ => throw new ArgumentOutOfRangeException(nameof(api)),
    };
}

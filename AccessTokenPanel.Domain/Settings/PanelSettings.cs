using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Settings;

/// <summary>The panel's own settings: one row, changed through the Configuration API or the Settings page.</summary>
public class PanelSettings
{
    public const int SingletonId = 1;
    public const int MaxLifetimeDaysLimit = 3650;
    public const int OrganizationNameMaxLength = 200;
    public const int AccessTokenLifetimeMinutesMin = 5;
    public const int AccessTokenLifetimeMinutesMax = 24 * 60;

    public int Id { get; set; } = SingletonId;

    /// <summary>The longest lifetime a new token may have, in days.</summary>
    public int MaxLifetimeDays { get; set; } = 365;

    /// <summary>The expiry offered first in the Generate dialog, in days.</summary>
    public int DefaultExpiryDays { get; set; } = 90;

    public bool ConfigurationApiEnabled { get; set; } = true;
    public bool ScimApiEnabled { get; set; } = true;
    public bool RestApiEnabled { get; set; } = true;

    /// <summary>
    /// How long an access token obtained at the OAuth token endpoint lives, in minutes (never longer
    /// than the token it was exchanged for).
    /// </summary>
    public int AccessTokenLifetimeMinutes { get; set; } = 60;

    /// <summary>Whether tokens issued on the screen may call the Configuration API themselves, or must first be exchanged.</summary>
    public bool ConfigurationApiDirectCalls { get; set; } = true;
    public bool ScimApiDirectCalls { get; set; } = true;
    public bool RestApiDirectCalls { get; set; } = true;

    /// <summary>Reported as <c>organization_name</c> by the user-token API.</summary>
    public string OrganizationName { get; set; } = "AccessTokenPanel";

    public DateTime UpdatedAt { get; set; }

    public bool Allows(ApiType api) => api switch
    {
        ApiType.Configuration => ConfigurationApiEnabled,
        ApiType.Scim => ScimApiEnabled,
        ApiType.Rest => RestApiEnabled,
        _ => false,
    };

    /// <summary>
    /// Whether a long-lived (screen-issued) token may call <paramref name="api"/> directly. When not,
    /// that API only accepts the short-lived access tokens derived from it at the token endpoint.
    /// </summary>
    public bool AllowsDirectCalls(ApiType api) => api switch
    {
        ApiType.Configuration => ConfigurationApiDirectCalls,
        ApiType.Scim => ScimApiDirectCalls,
        ApiType.Rest => RestApiDirectCalls,
        _ => false,
    };
}

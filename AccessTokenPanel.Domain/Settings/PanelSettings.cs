using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Settings;

/// <summary>The panel's own settings: one row, changed through the Configuration API or the Settings page.</summary>
public class PanelSettings
{
    public const int SingletonId = 1;
    public const int MaxLifetimeDaysLimit = 3650;
    public const int OrganizationNameMaxLength = 200;

    public int Id { get; set; } = SingletonId;

    /// <summary>The longest lifetime a new token may have, in days.</summary>
    public int MaxLifetimeDays { get; set; } = 365;

    /// <summary>The expiry offered first in the Generate dialog, in days.</summary>
    public int DefaultExpiryDays { get; set; } = 90;

    public bool ConfigurationApiEnabled { get; set; } = true;
    public bool ScimApiEnabled { get; set; } = true;
    public bool RestApiEnabled { get; set; } = true;

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
}

namespace AccessTokenPanel.Web.Components.Pages.Settings;

/// <summary>The Settings form as typed (strings, so a bad number comes back as typed with a message).</summary>
public sealed class SettingsInput
{
    public string? MaxLifetimeDays { get; set; }
    public string? DefaultExpiryDays { get; set; }
    public bool ConfigurationApi { get; set; }
    public bool ScimApi { get; set; }
    public bool RestApi { get; set; }
    public string? OrganizationName { get; set; }

    /// <summary>Lifetime of access tokens from the OAuth token endpoint, in minutes, as typed.</summary>
    public string? AccessTokenLifetimeMinutes { get; set; }

    /// <summary>Whether long-lived tokens may call each API directly (otherwise only exchanged access tokens).</summary>
    public bool ConfigurationApiDirect { get; set; }
    public bool ScimApiDirect { get; set; }
    public bool RestApiDirect { get; set; }
}

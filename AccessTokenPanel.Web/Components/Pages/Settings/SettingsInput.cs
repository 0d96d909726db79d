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
}

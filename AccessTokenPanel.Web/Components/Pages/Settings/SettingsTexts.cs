namespace AccessTokenPanel.Web.Components.Pages.Settings;

/// <summary>The texts of the Settings screen (SettingsTexts.resx, SettingsTexts.ja.resx).</summary>
public sealed class SettingsTexts;

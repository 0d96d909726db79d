namespace AccessTokenPanel.Domain.Settings;

/// <summary>The errors of a <see cref="SettingsChange"/>: fields are <see cref="SettingsFields"/>.</summary>
public static class SettingsError
{
    /// <summary>Also for a maximum lifetime that is not a whole number (the Settings page's typed text).</summary>
    public static DomainError MaxLifetimeOutOfRange() => new(SettingsErrorCodes.MaxLifetimeOutOfRange, SettingsFields.MaxLifetimeDays,
        $"The maximum lifetime must be between 1 and {PanelSettings.MaxLifetimeDaysLimit} days.");

    /// <param name="maxLifetimeDays">The maximum lifetime as asked for (or as typed), shown in the message.</param>
    public static DomainError DefaultExpiryOutOfRange(string? maxLifetimeDays) => new(SettingsErrorCodes.DefaultExpiryOutOfRange, SettingsFields.DefaultExpiryDays,
        $"The default expiry must be between 1 day and the maximum lifetime ({maxLifetimeDays} days).");

    public static DomainError AccessTokenLifetimeOutOfRange() => new(SettingsErrorCodes.AccessTokenLifetimeOutOfRange, SettingsFields.AccessTokenLifetimeMinutes,
        $"The access token lifetime must be between {PanelSettings.AccessTokenLifetimeMinutesMin} and {PanelSettings.AccessTokenLifetimeMinutesMax} minutes.");

    public static DomainError OrganizationNameLength() => new(SettingsErrorCodes.OrganizationNameLength, SettingsFields.OrganizationName,
        $"The organization name must have 1 to {PanelSettings.OrganizationNameMaxLength} characters.");
}

public static class SettingsErrorCodes
{
    public const string MaxLifetimeOutOfRange = "max-lifetime-out-of-range";
    public const string DefaultExpiryOutOfRange = "default-expiry-out-of-range";
    public const string OrganizationNameLength = "organization-name-length";
    public const string AccessTokenLifetimeOutOfRange = "access-token-lifetime-out-of-range";
}

public static class SettingsFields
{
    public const string MaxLifetimeDays = nameof(SettingsChange.MaxLifetimeDays);
    public const string DefaultExpiryDays = nameof(SettingsChange.DefaultExpiryDays);
    public const string OrganizationName = nameof(SettingsChange.OrganizationName);
    public const string AccessTokenLifetimeMinutes = nameof(SettingsChange.AccessTokenLifetimeMinutes);
}

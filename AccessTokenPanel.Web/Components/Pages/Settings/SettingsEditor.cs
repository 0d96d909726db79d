using System.Globalization;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Settings;

namespace AccessTokenPanel.Web.Components.Pages.Settings;

/// <summary>
/// Checks and saves the Settings form, with an audit entry naming each change. The rules and
/// messages match the Configuration API's PATCH /settings.
/// </summary>
public sealed class SettingsEditor(SettingsStore store, PanelDbContext db, AuditLog audit, TimeProvider time)
{
    public const int OrganizationNameMaxLength = 200;

    public static SettingsInput InputFrom(PanelSettings settings) => new()
    {
        MaxLifetimeDays = settings.MaxLifetimeDays.ToString(CultureInfo.InvariantCulture),
        DefaultExpiryDays = settings.DefaultExpiryDays.ToString(CultureInfo.InvariantCulture),
        ConfigurationApi = settings.ConfigurationApiEnabled,
        ScimApi = settings.ScimApiEnabled,
        RestApi = settings.RestApiEnabled,
        OrganizationName = settings.OrganizationName,
    };

    /// <returns>Messages keyed by field (nothing saved), or none and the list of changes saved.</returns>
    public async Task<(IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> Changes)> SaveAsync(
        SettingsInput input, string actorId, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var maxLifetime = ParseDays(input.MaxLifetimeDays);
        if (maxLifetime is not { } max || max < 1 || max > PanelSettings.MaxLifetimeDaysLimit)
        {
            errors[nameof(SettingsInput.MaxLifetimeDays)] = $"The maximum lifetime must be between 1 and {PanelSettings.MaxLifetimeDaysLimit} days.";
        }
        var defaultExpiry = ParseDays(input.DefaultExpiryDays);
        if (defaultExpiry is not { } expiry || expiry < 1 || (maxLifetime is { } limit && expiry > limit))
        {
            errors[nameof(SettingsInput.DefaultExpiryDays)] =
                $"The default expiry must be between 1 day and the maximum lifetime ({input.MaxLifetimeDays?.Trim()} days).";
        }
        var organization = input.OrganizationName?.Trim() ?? "";
        if (organization.Length is 0 or > OrganizationNameMaxLength)
        {
            errors[nameof(SettingsInput.OrganizationName)] = $"The organization name must have 1 to {OrganizationNameMaxLength} characters.";
        }
        if (errors.Count > 0)
        {
            return (errors, []);
        }

        var settings = await store.GetAsync(cancellationToken);
        var changes = new List<string>();
        void Change<T>(string name, T before, T after, Action<T> set)
        {
            if (!EqualityComparer<T>.Default.Equals(before, after))
            {
                changes.Add($"{name} {before} -> {after}");
                set(after);
            }
        }
        Change("maxLifetimeDays", settings.MaxLifetimeDays, maxLifetime!.Value, v => settings.MaxLifetimeDays = v);
        Change("defaultExpiryDays", settings.DefaultExpiryDays, defaultExpiry!.Value, v => settings.DefaultExpiryDays = v);
        Change("configurationApi", settings.ConfigurationApiEnabled, input.ConfigurationApi, v => settings.ConfigurationApiEnabled = v);
        Change("scimApi", settings.ScimApiEnabled, input.ScimApi, v => settings.ScimApiEnabled = v);
        Change("restApi", settings.RestApiEnabled, input.RestApi, v => settings.RestApiEnabled = v);
        Change("organizationName", settings.OrganizationName, organization, v => settings.OrganizationName = v);
        if (changes.Count > 0)
        {
            settings.UpdatedAt = time.GetUtcNow().UtcDateTime;
            audit.Record(actorId, AuditActions.SettingsChanged, "settings", PanelSettings.SingletonId.ToString(CultureInfo.InvariantCulture),
                $"{string.Join(", ", changes)}, on the Settings page");
            await db.SaveChangesAsync(cancellationToken);
        }
        return (errors, changes);
    }

    private static int? ParseDays(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days) ? days : null;
}

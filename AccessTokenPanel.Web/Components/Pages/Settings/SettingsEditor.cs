using AccessTokenPanel.Web.Api;
using System.Globalization;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Web.Components.Pages.Settings;

/// <summary>
/// The Settings form's submit: reads the typed numbers, lets <see cref="SettingsUpdater"/> (the rules
/// the Configuration API uses too) judge and save, and puts each message beside its field, in the
/// screen's language (by error code: the API's English is the Domain's).
/// </summary>
public sealed class SettingsEditor(SettingsUpdater updater, PermissionResolver permissions)
{
    public const int OrganizationNameMaxLength = PanelSettings.OrganizationNameMaxLength;

    public static SettingsInput InputFrom(PanelSettings settings) => new()
    {
        MaxLifetimeDays = settings.MaxLifetimeDays.ToString(CultureInfo.InvariantCulture),
        DefaultExpiryDays = settings.DefaultExpiryDays.ToString(CultureInfo.InvariantCulture),
        ConfigurationApi = settings.ConfigurationApiEnabled,
        ScimApi = settings.ScimApiEnabled,
        RestApi = settings.RestApiEnabled,
        OrganizationName = settings.OrganizationName,
        AccessTokenLifetimeMinutes = settings.AccessTokenLifetimeMinutes.ToString(CultureInfo.InvariantCulture),
        ConfigurationApiDirect = settings.ConfigurationApiDirectCalls,
        ScimApiDirect = settings.ScimApiDirectCalls,
        RestApiDirect = settings.RestApiDirectCalls,
    };

    /// <returns>Messages keyed by field (nothing saved), or none and the list of changes saved.</returns>
    [Performs("settings.write")]
    public async Task<(IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> Changes)> SaveAsync(
        SettingsInput input, string actorId, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        // A number that cannot be read gets the same message as one out of range.
        var maxLifetime = ParseWholeNumber(input.MaxLifetimeDays);
        if (maxLifetime is null)
        {
            errors[nameof(SettingsInput.MaxLifetimeDays)] = SettingsMessages.Text(SettingsError.MaxLifetimeOutOfRange());
        }
        var defaultExpiry = ParseWholeNumber(input.DefaultExpiryDays);
        if (defaultExpiry is null)
        {
            errors[nameof(SettingsInput.DefaultExpiryDays)] = SettingsMessages.Text(SettingsError.DefaultExpiryOutOfRange(input.MaxLifetimeDays?.Trim()));
        }
        var accessLifetime = ParseWholeNumber(input.AccessTokenLifetimeMinutes);
        if (accessLifetime is null)
        {
            errors[nameof(SettingsInput.AccessTokenLifetimeMinutes)] = SettingsMessages.Text(SettingsError.AccessTokenLifetimeOutOfRange());
        }
        var change = new SettingsChange(actorId, "on the Settings page")
        {
            MaxLifetimeDays = maxLifetime,
            DefaultExpiryDays = defaultExpiry,
            AllowedApis = ApiTypes.All.Where(api => api switch
            {
                ApiType.Configuration => input.ConfigurationApi,
                ApiType.Scim => input.ScimApi,
                ApiType.Rest => input.RestApi,
                _ => false,
            }).ToHashSet(),
            AccessTokenLifetimeMinutes = accessLifetime,
            DirectCallApis = ApiTypes.All.Where(api => api switch
            {
                ApiType.Configuration => input.ConfigurationApiDirect,
                ApiType.Scim => input.ScimApiDirect,
                ApiType.Rest => input.RestApiDirect,
                _ => false,
            }).ToHashSet(),
            // An emptied field is a name of no characters, not "keep the name".
            OrganizationName = input.OrganizationName ?? "",
        };

        // The page checked the session a moment ago (CircuitActor); the updater decides on the permission.
        var actor = Actor.Session(actorId, await permissions.GetPermissionsAsync(actorId, cancellationToken), enrolled: true, via: "on the Settings page");
        if (errors.Count == 0)
        {
            var result = await updater.SaveAsync(actor, change, cancellationToken);
            if (result.Succeeded)
            {
                return (errors, result.Changes);
            }
            AddAll(errors, result.Errors);
        }
        else
        {
            AddAll(errors, await updater.ValidateAsync(actor, change, cancellationToken));
        }
        return (errors, []);
    }

    private static void AddAll(Dictionary<string, string> errors, IEnumerable<DomainError> found)
    {
        foreach (var error in found)
        {
            errors.TryAdd(FieldOf(error), SettingsMessages.Text(error));
        }
    }

    private static string FieldOf(DomainError error) => error.Field switch
    {
        SettingsFields.MaxLifetimeDays => nameof(SettingsInput.MaxLifetimeDays),
        SettingsFields.DefaultExpiryDays => nameof(SettingsInput.DefaultExpiryDays),
        SettingsFields.AccessTokenLifetimeMinutes => nameof(SettingsInput.AccessTokenLifetimeMinutes),
        _ => nameof(SettingsInput.OrganizationName),
    };

    private static int? ParseWholeNumber(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
}

using System.Globalization;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Settings;

/// <summary>
/// The one place the panel settings are checked and changed, for the Settings page and the
/// Configuration API alike: each change is named in one audit entry; nothing is saved when a value is wrong.
/// </summary>
public sealed class SettingsUpdater(SettingsStore store, PanelDbContext db, OperationGuard guard, AuditLog audit, TimeProvider time)
{
    /// <summary><see cref="Operations.ReadSettings"/>: the settings and the token policy.</summary>
    public async Task<Result<PanelSettings>> ReadAsync(Actor actor, CancellationToken cancellationToken = default) =>
        await guard.AuthorizeAsync(actor, Operations.ReadSettings, cancellationToken: cancellationToken) is { } refused
            ? refused
            : Result<PanelSettings>.Ok(await store.GetAsync(cancellationToken));

    /// <summary>Checks the change against the stored settings without saving anything.</summary>
    public async Task<IReadOnlyList<DomainError>> ValidateAsync(Actor actor, SettingsChange change, CancellationToken cancellationToken = default) =>
        await guard.AuthorizeAsync(actor, Operations.ChangeSettings, cancellationToken: cancellationToken) is { } refused
            ? [refused]
            : Validate(change, await store.GetAsync(cancellationToken));

    /// <summary><see cref="Operations.ChangeSettings"/>: saves the change, audited as the actor's.</summary>
    public async Task<SettingsChangeResult> SaveAsync(Actor actor, SettingsChange change, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.ChangeSettings, cancellationToken: cancellationToken) is { } refused)
        {
            return SettingsChangeResult.Failed([refused]);
        }
        change = change with { ActorId = actor.UserId ?? change.ActorId, Via = actor.Via };
        var settings = await store.GetAsync(cancellationToken);
        var errors = Validate(change, settings);
        if (errors.Count > 0)
        {
            return SettingsChangeResult.Failed(errors);
        }

        var changes = new List<string>();
        void Change<T>(string name, T before, T after, Action<T> set)
        {
            if (!EqualityComparer<T>.Default.Equals(before, after))
            {
                changes.Add($"{name} {before} -> {after}");
                set(after);
            }
        }
        if (change.MaxLifetimeDays is { } maxLifetime)
        {
            Change("maxLifetimeDays", settings.MaxLifetimeDays, maxLifetime, v => settings.MaxLifetimeDays = v);
        }
        if (change.DefaultExpiryDays is { } defaultExpiry)
        {
            Change("defaultExpiryDays", settings.DefaultExpiryDays, defaultExpiry, v => settings.DefaultExpiryDays = v);
        }
        if (change.AllowedApis is { } allowed)
        {
            Change("configurationApi", settings.ConfigurationApiEnabled, allowed.Contains(ApiType.Configuration), v => settings.ConfigurationApiEnabled = v);
            Change("scimApi", settings.ScimApiEnabled, allowed.Contains(ApiType.Scim), v => settings.ScimApiEnabled = v);
            Change("restApi", settings.RestApiEnabled, allowed.Contains(ApiType.Rest), v => settings.RestApiEnabled = v);
        }
        if (change.AccessTokenLifetimeMinutes is { } accessLifetime)
        {
            Change("accessTokenLifetimeMinutes", settings.AccessTokenLifetimeMinutes, accessLifetime, v => settings.AccessTokenLifetimeMinutes = v);
        }
        if (change.DirectCallApis is { } direct)
        {
            Change("configurationApiDirectCalls", settings.ConfigurationApiDirectCalls, direct.Contains(ApiType.Configuration), v => settings.ConfigurationApiDirectCalls = v);
            Change("scimApiDirectCalls", settings.ScimApiDirectCalls, direct.Contains(ApiType.Scim), v => settings.ScimApiDirectCalls = v);
            Change("restApiDirectCalls", settings.RestApiDirectCalls, direct.Contains(ApiType.Rest), v => settings.RestApiDirectCalls = v);
        }
        if (change.OrganizationName?.Trim() is { } organization)
        {
            Change("organizationName", settings.OrganizationName, organization, v => settings.OrganizationName = v);
        }
        if (changes.Count > 0)
        {
            settings.UpdatedAt = time.GetUtcNow().UtcDateTime;
            audit.Record(change.ActorId, AuditActions.SettingsChanged, "settings", PanelSettings.SingletonId.ToString(CultureInfo.InvariantCulture),
                $"{string.Join(", ", changes)}, {change.Via}");
            await db.SaveChangesAsync(cancellationToken);
        }
        return SettingsChangeResult.Success(settings, changes);
    }

    private static List<DomainError> Validate(SettingsChange change, PanelSettings settings)
    {
        var errors = new List<DomainError>();
        var maxLifetime = change.MaxLifetimeDays ?? settings.MaxLifetimeDays;
        if (maxLifetime < 1 || maxLifetime > PanelSettings.MaxLifetimeDaysLimit)
        {
            errors.Add(SettingsError.MaxLifetimeOutOfRange());
        }
        // Checked against the maximum asked for even when that one is wrong too: both fields get a message.
        var defaultExpiry = change.DefaultExpiryDays ?? settings.DefaultExpiryDays;
        if (defaultExpiry < 1 || defaultExpiry > maxLifetime)
        {
            errors.Add(SettingsError.DefaultExpiryOutOfRange(maxLifetime.ToString(CultureInfo.InvariantCulture)));
        }
        if (change.AccessTokenLifetimeMinutes is { } accessLifetime
            && (accessLifetime < PanelSettings.AccessTokenLifetimeMinutesMin || accessLifetime > PanelSettings.AccessTokenLifetimeMinutesMax))
        {
            errors.Add(SettingsError.AccessTokenLifetimeOutOfRange());
        }
        var organization = change.OrganizationName?.Trim();
        if (organization is not null && organization.Length is 0 or > PanelSettings.OrganizationNameMaxLength)
        {
            errors.Add(SettingsError.OrganizationNameLength());
        }
        return errors;
    }
}

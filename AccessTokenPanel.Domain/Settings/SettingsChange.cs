using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Settings;

/// <summary>
/// A change to the panel settings. A value left null keeps what is stored. <see cref="ActorId"/> and
/// <see cref="Via"/> (e.g. "on the Settings page") go into the audit entry.
/// </summary>
public sealed record SettingsChange(string ActorId, string Via)
{
    public int? MaxLifetimeDays { get; init; }
    public int? DefaultExpiryDays { get; init; }

    /// <summary>The APIs new tokens may be made for; the ones left out are switched off.</summary>
    public IReadOnlySet<ApiType>? AllowedApis { get; init; }

    /// <summary>Lifetime of access tokens from the token endpoint, in minutes.</summary>
    public int? AccessTokenLifetimeMinutes { get; init; }

    /// <summary>The APIs that long-lived tokens may call directly; the others need an exchanged access token.</summary>
    public IReadOnlySet<ApiType>? DirectCallApis { get; init; }

    /// <summary>Trimmed before it is checked and saved.</summary>
    public string? OrganizationName { get; init; }
}

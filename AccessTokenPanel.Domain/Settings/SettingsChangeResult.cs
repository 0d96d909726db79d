namespace AccessTokenPanel.Domain.Settings;

/// <summary>Either the saved settings with the changes made (none when everything was already so), or the errors.</summary>
public sealed class SettingsChangeResult
{
    private SettingsChangeResult(PanelSettings? settings, IReadOnlyList<string> changes, IReadOnlyList<DomainError> errors)
    {
        Settings = settings;
        Changes = changes;
        Errors = errors;
    }

    public bool Succeeded => Settings is not null;
    public PanelSettings? Settings { get; }

    /// <summary>One line per changed value, as in the audit entry: <c>maxLifetimeDays 365 -&gt; 183</c>.</summary>
    public IReadOnlyList<string> Changes { get; }

    public IReadOnlyList<DomainError> Errors { get; }

    public static SettingsChangeResult Success(PanelSettings settings, IReadOnlyList<string> changes) => new(settings, changes, []);
    public static SettingsChangeResult Failed(IReadOnlyList<DomainError> errors) => new(null, [], errors);

    public override string ToString() =>
        Succeeded ? $"Saved {Changes.Count} change(s)" : $"Failed: {string.Join(", ", Errors.Select(e => e.Code))}";
}

namespace AccessTokenPanel.Domain.Tokens;

public static class TokenRules
{
    public const int MaxNameLength = 100;

    /// <summary>The expiry presets offered in the Generate dialog, in days.</summary>
    public static IReadOnlyList<int> PresetDays { get; } = [60, 90, 180, 365];
}

namespace AccessTokenPanel.Domain.Tokens;

public static class TokenRules
{
    public const int MaxNameLength = 100;

    /// <summary>The expiry presets offered in the Generate dialog, in days.</summary>
    public static IReadOnlyList<int> PresetDays { get; } = [60, 90, 180, 365];

    /// <summary>The longest overlap a rotation may give the old secret: 7 days.</summary>
    public const int MaxOverlapMinutes = 7 * 24 * 60;

    /// <summary>The overlaps offered on the screen: none, 1 hour, 1 day, 7 days.</summary>
    public static IReadOnlyList<int> PresetOverlapMinutes { get; } = [0, 60, 24 * 60, MaxOverlapMinutes];

    /// <summary>At most this many addresses or networks in a token's allowlist.</summary>
    public const int MaxAllowedAddresses = 20;

    /// <summary>Room for <see cref="MaxAllowedAddresses"/> IPv6 networks, comma-separated.</summary>
    public const int AllowedAddressesColumnLength = 1000;
}

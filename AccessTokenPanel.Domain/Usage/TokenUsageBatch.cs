using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Usage;

public readonly record struct TokenDayCount(Guid TokenId, DateOnly Day, long Count);

public readonly record struct TokenRefusalCount(Guid TokenId, DateOnly Day, TokenValidationStatus Reason, long Count);

public readonly record struct TokenAddressUse(Guid TokenId, string Address, DateTime At);

/// <summary>
/// What <see cref="TokenUsageCounts"/> counted since the last flush, for <see cref="TokenUsageHistory.WriteAsync"/>.
/// <paramref name="Dropped"/>: calls not counted because too many distinct keys were pending at once.
/// </summary>
public sealed record TokenUsageBatch(
    IReadOnlyList<TokenDayCount> Requests,
    IReadOnlyList<TokenRefusalCount> Refusals,
    IReadOnlyList<TokenAddressUse> Addresses,
    long Dropped)
{
    public bool IsEmpty => Requests.Count == 0 && Refusals.Count == 0 && Addresses.Count == 0;
}

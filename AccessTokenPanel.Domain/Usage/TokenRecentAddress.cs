namespace AccessTokenPanel.Domain.Usage;

/// <summary>
/// A client address a token was used from, with the last time; only the newest
/// <see cref="TokenUsageHistory.RecentAddressCount"/> per token are kept.
/// </summary>
public class TokenRecentAddress
{
    public Guid TokenId { get; set; }
    public required string Address { get; set; }
    public DateTime LastSeenAt { get; set; }
}

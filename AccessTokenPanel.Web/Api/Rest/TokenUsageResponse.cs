using AccessTokenPanel.Domain.Usage;

namespace AccessTokenPanel.Web.Api.Rest;

/// <summary>
/// A token's use over the last 90 UTC days, as flushed so far (<c>updatedEverySeconds</c>): every
/// day with its request count (oldest first, 0 when unused), the last client addresses (newest
/// first) and the refusals per reason.
/// </summary>
public sealed record TokenUsageResponse(
    Guid TokenId,
    DateOnly From,
    DateOnly To,
    long TotalRequests,
    IReadOnlyList<TokenUsageDay> Days,
    IReadOnlyList<TokenUsageAddress> RecentAddresses,
    IReadOnlyList<TokenUsageRefusal> Refusals,
    int UpdatedEverySeconds)
{
    public static TokenUsageResponse Of(Guid tokenId, TokenUsageReport report, TimeSpan flushInterval) => new(
        tokenId, report.From, report.To, report.TotalRequests,
        report.Days.Select(d => new TokenUsageDay(d.Day, d.Requests)).ToList(),
        report.RecentAddresses.Select(a => new TokenUsageAddress(a.Address, a.LastSeenAt)).ToList(),
        report.Refusals.Select(r => new TokenUsageRefusal(TokenRefusalReasons.WireName(r.Reason), r.Count)).ToList(),
        (int)Math.Ceiling(flushInterval.TotalSeconds));
}

public sealed record TokenUsageDay(DateOnly Date, long Requests);

public sealed record TokenUsageAddress(string Address, DateTime LastSeenAt);

public sealed record TokenUsageRefusal(string Reason, long Count);

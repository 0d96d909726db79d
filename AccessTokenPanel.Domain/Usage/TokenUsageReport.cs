using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Usage;

public readonly record struct DailyRequests(DateOnly Day, long Requests);

public readonly record struct RefusalTotal(TokenValidationStatus Reason, long Count);

public readonly record struct RecentAddress(string Address, DateTime LastSeenAt);

/// <summary>
/// A token's use over the last <see cref="TokenUsageHistory.RetainedDays"/> UTC days, as flushed to
/// the database: <paramref name="Days"/> has every day, oldest first (0 when unused);
/// <paramref name="RecentAddresses"/> newest first; <paramref name="Refusals"/> summed per reason, most first.
/// </summary>
public sealed record TokenUsageReport(
    IReadOnlyList<DailyRequests> Days,
    IReadOnlyList<RecentAddress> RecentAddresses,
    IReadOnlyList<RefusalTotal> Refusals)
{
    public long TotalRequests => Days.Sum(d => d.Requests);
    public long TotalRefusals => Refusals.Sum(r => r.Count);
    public DateOnly From => Days[0].Day;
    public DateOnly To => Days[^1].Day;
}

namespace AccessTokenPanel.Domain.Usage;

/// <summary>
/// How many calls every token together made on one UTC day: the sum of that day's
/// <see cref="TokenDailyUsage"/> rows, kept by the same flush (<see cref="TokenUsageHistory.WriteAsync"/>)
/// so the Overview reads one row per day instead of summing every token's.
/// </summary>
public class TokenDailyTotals
{
    /// <summary>The UTC calendar day.</summary>
    public DateOnly Day { get; set; }

    public long Requests { get; set; }
}

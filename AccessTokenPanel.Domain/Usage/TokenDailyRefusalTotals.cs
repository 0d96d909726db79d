using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Usage;

/// <summary>
/// How many calls were refused for one reason on one UTC day, every token together: the sum of
/// that day's and reason's <see cref="TokenDailyRefusals"/> rows, kept by the same flush.
/// </summary>
public class TokenDailyRefusalTotals
{
    /// <summary>The UTC calendar day.</summary>
    public DateOnly Day { get; set; }

    public TokenValidationStatus Reason { get; set; }

    public long Count { get; set; }
}

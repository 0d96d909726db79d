namespace AccessTokenPanel.Domain.Usage;

/// <summary>How many calls a token made on one UTC day. Added to by every instance's flush, never written per request.</summary>
public class TokenDailyUsage
{
    public Guid TokenId { get; set; }

    /// <summary>The UTC calendar day.</summary>
    public DateOnly Day { get; set; }

    public long Requests { get; set; }
}

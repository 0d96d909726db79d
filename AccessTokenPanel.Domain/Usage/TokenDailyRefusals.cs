using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Usage;

/// <summary>How many calls with a token were refused for one reason on one UTC day.</summary>
public class TokenDailyRefusals
{
    public Guid TokenId { get; set; }

    /// <summary>The UTC calendar day.</summary>
    public DateOnly Day { get; set; }

    public TokenValidationStatus Reason { get; set; }

    public long Count { get; set; }
}

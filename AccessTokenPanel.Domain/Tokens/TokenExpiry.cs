namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// The expiry asked for at generation: a number of days from now, a calendar date, or an instant
/// (APIs that take a Unix timestamp). A date means the token stops working at 00:00 UTC that day.
/// </summary>
public sealed record TokenExpiry
{
    private TokenExpiry(int? days, DateOnly? date, DateTime? instant)
    {
        Days = days;
        Date = date;
        Instant = instant;
    }

    public int? Days { get; }
    public DateOnly? Date { get; }

    /// <summary>A UTC instant.</summary>
    public DateTime? Instant { get; }

    public static TokenExpiry InDays(int days) => new(days, null, null);
    public static TokenExpiry OnDate(DateOnly date) => new(null, date, null);
    public static TokenExpiry AtInstant(DateTime utc) => new(null, null, DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}

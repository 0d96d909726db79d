namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// The expiry asked for at generation: a number of days from now, or a calendar date. A date
/// means the token stops working at 00:00 UTC that day.
/// </summary>
public sealed record TokenExpiry
{
    private TokenExpiry(int? days, DateOnly? date)
    {
        Days = days;
        Date = date;
    }

    public int? Days { get; }
    public DateOnly? Date { get; }

    public static TokenExpiry InDays(int days) => new(days, null);
    public static TokenExpiry OnDate(DateOnly date) => new(null, date);
}

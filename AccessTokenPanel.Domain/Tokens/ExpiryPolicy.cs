namespace AccessTokenPanel.Domain.Tokens;

/// <summary>Turns a requested expiry into an instant, within the maximum lifetime.</summary>
public static class ExpiryPolicy
{
    public static (DateTime? ExpiresAt, DomainError? Error) Resolve(TokenExpiry? expiry, DateTime utcNow, int maxLifetimeDays)
    {
        if (expiry is null || (expiry.Days is null && expiry.Date is null && expiry.Instant is null))
        {
            return (null, new(TokenErrorCodes.ExpiryRequired, TokenFields.Days, "Choose a number of days or a specific date."));
        }
        if (expiry.Days is { } days)
        {
            if (days < 1)
            {
                return (null, new(TokenErrorCodes.DaysOutOfRange, TokenFields.Days, "The number of days must be 1 or more."));
            }
            if (days > maxLifetimeDays)
            {
                return (null, new(TokenErrorCodes.ExpiryBeyondMaximum, TokenFields.Days,
                    $"Tokens may live at most {maxLifetimeDays} days."));
            }
            return (utcNow.AddDays(days), null);
        }

        if (expiry.Instant is { } instant)
        {
            if (instant <= utcNow)
            {
                return (null, new(TokenErrorCodes.DateInPast, TokenFields.Date, "The expiration time must be in the future."));
            }
            if (instant > utcNow.AddDays(maxLifetimeDays))
            {
                return (null, new(TokenErrorCodes.ExpiryBeyondMaximum, TokenFields.Date,
                    $"Tokens may live at most {maxLifetimeDays} days: the latest expiration time is {utcNow.AddDays(maxLifetimeDays):yyyy-MM-dd HH:mm:ss} UTC."));
            }
            return (instant, null);
        }

        var date = expiry.Date!.Value;
        var today = DateOnly.FromDateTime(utcNow);
        if (date <= today)
        {
            return (null, new(TokenErrorCodes.DateInPast, TokenFields.Date, "The expiration date must be after today (UTC)."));
        }
        var expiresAt = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        if (expiresAt > utcNow.AddDays(maxLifetimeDays))
        {
            var latest = DateOnly.FromDateTime(utcNow.AddDays(maxLifetimeDays));
            return (null, new(TokenErrorCodes.ExpiryBeyondMaximum, TokenFields.Date,
                $"Tokens may live at most {maxLifetimeDays} days: the latest date is {latest:yyyy-MM-dd}."));
        }
        return (expiresAt, null);
    }

    /// <summary>
    /// A rotated token's replacement lives as long as the original was issued for (creation to
    /// expiry), counted from now, but never longer than the policy's maximum lifetime today.
    /// </summary>
    public static DateTime ForReplacement(AccessToken original, DateTime utcNow, int maxLifetimeDays)
    {
        var lifetime = original.ExpiresAt - original.CreatedAt;
        var maximum = TimeSpan.FromDays(maxLifetimeDays);
        return utcNow + (lifetime > maximum ? maximum : lifetime);
    }
}

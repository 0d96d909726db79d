using System.ComponentModel.DataAnnotations;

namespace AccessTokenPanel.Domain.Notices;

/// <summary>The <c>Notices</c> section of appsettings.json: when expiry notices are raised and how deliveries are retried.</summary>
public sealed class NoticeOptions : IValidatableObject
{
    public const string Section = "Notices";

    /// <summary>Days before expiry at which the owner is told (default 30, 7 and 1); the notice at expiry is always sent.</summary>
    public int[]? ThresholdDays { get; set; }

    /// <summary>How long after expiry the "has expired" notice is still raised (a panel that was down meanwhile); older expiries stay quiet.</summary>
    public TimeSpan ExpiredNoticeWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How often each instance looks for tokens that crossed a threshold.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often each instance sends due deliveries.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts per delivery before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The delay after the first failed attempt; each further failure waits four times longer (1 min, 4, 16, 64 ... capped at 6 h).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an instance holds a claimed delivery before another may take it over.</summary>
    public TimeSpan DeliveryLease { get; set; } = TimeSpan.FromMinutes(2);

    public static readonly int[] DefaultThresholdDays = [30, 7, 1];

    /// <summary>The thresholds, largest first, without duplicates.</summary>
    public int[] EffectiveThresholdDays =>
        (ThresholdDays is { Length: > 0 } ? ThresholdDays : DefaultThresholdDays).Distinct().OrderDescending().ToArray();

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(6);

    public TimeSpan RetryDelayAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks * (long)Math.Pow(4, Math.Clamp(attempts - 1, 0, 10))));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ThresholdDays is not null && ThresholdDays.Any(d => d is < 1 or > 3650))
        {
            yield return new ValidationResult("Notices:ThresholdDays are whole days between 1 and 3650, e.g. [30, 7, 1].", [nameof(ThresholdDays)]);
        }
        if (ScanInterval <= TimeSpan.Zero || DispatchInterval <= TimeSpan.Zero || DeliveryLease <= TimeSpan.Zero || FirstRetryDelay <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Notices: ScanInterval, DispatchInterval, DeliveryLease and FirstRetryDelay must be positive times such as \"00:01:00\".");
        }
        if (ExpiredNoticeWindow < TimeSpan.Zero)
        {
            yield return new ValidationResult("Notices:ExpiredNoticeWindow cannot be negative.", [nameof(ExpiredNoticeWindow)]);
        }
        if (MaxAttempts is < 1 or > 50)
        {
            yield return new ValidationResult("Notices:MaxAttempts is between 1 and 50.", [nameof(MaxAttempts)]);
        }
    }
}

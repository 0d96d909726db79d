using System.Globalization;
using Microsoft.Extensions.Localization;

namespace AccessTokenPanel.Web.Components.Shared;

/// <summary>
/// "in 12 days", "3 hours ago" (「12日後」「3時間前」): the coarsest unit that is at least one,
/// rounded, in the language of the current request or circuit.
/// </summary>
public static class RelativeTime
{
    public static string Until(DateTime instant, DateTime now) => Describe(instant - now, "in {0}", "{0} ago", "just now");

    /// <summary>For an expiry: "in 12 days" while it lies ahead, "expired 3 days ago" once passed.</summary>
    public static string Expiry(DateTime expiresAt, DateTime now) =>
        Describe(expiresAt - now, "in {0}", "expired {0} ago", "expired just now");

    private static string Describe(TimeSpan delta, string future, string past, string justNow)
    {
        var texts = SharedTexts.Localizer;
        var span = delta.Duration();
        var amount = span.TotalDays >= 1 ? Unit(span.TotalDays, "day")
            : span.TotalHours >= 1 ? Unit(span.TotalHours, "hour")
            : span.TotalMinutes >= 1 ? Unit(span.TotalMinutes, "minute")
            : null;
        if (amount is null)
        {
            return delta > TimeSpan.Zero ? texts["in less than a minute"] : texts[justNow];
        }
        return string.Format(CultureInfo.InvariantCulture, texts[delta > TimeSpan.Zero ? future : past], amount);
    }

    private static string Unit(double value, string unit)
    {
        var rounded = (long)Math.Round(value, MidpointRounding.AwayFromZero);
        return rounded == 1
            ? SharedTexts.Localizer[$"1 {unit}"]
            : string.Format(CultureInfo.InvariantCulture, SharedTexts.Localizer[$"{{0}} {unit}s"], rounded);
    }
}

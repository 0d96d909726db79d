using System.Globalization;

namespace AccessTokenPanel.Web.Components.Shared;

/// <summary>A UTC instant as the panel shows it, in the current language's format (2026-12-07 / 2026/12/07).</summary>
public static class DisplayDates
{
    public static string Date(DateTime value) => value.ToString(SharedTexts.Localizer["DateFormat"], CultureInfo.InvariantCulture);

    public static string Date(DateOnly value) => value.ToString(SharedTexts.Localizer["DateFormat"], CultureInfo.InvariantCulture);

    /// <summary>Date and time to the minute, with "UTC".</summary>
    public static string DateTimeUtc(DateTime value) => value.ToString(SharedTexts.Localizer["DateTimeFormat"], CultureInfo.InvariantCulture) + " UTC";
}

using Microsoft.Extensions.Localization;

namespace AccessTokenPanel.Web.Components.Shared;

/// <summary>Texts every screen shares: dates, relative times (SharedTexts.resx, SharedTexts.ja.resx).</summary>
public sealed class SharedTexts
{
    /// <summary>For the static helpers (<see cref="RelativeTime"/>, <see cref="DisplayDates"/>).</summary>
    internal static IStringLocalizer Localizer { get; } = Localization.StaticLocalizer.For<SharedTexts>();
}

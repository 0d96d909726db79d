using AccessTokenPanel.Web.Components.Shared;

namespace AccessTokenPanel.Tests.Tokens.Screens;

public class RelativeTimeTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(12 * 24 * 60, "in 12 days")]
    [InlineData(24 * 60, "in 1 day")]
    [InlineData(90 * 24 * 60 - 1, "in 90 days")]
    [InlineData(5 * 60, "in 5 hours")]
    [InlineData(1, "in 1 minute")]
    [InlineData(0, "expired just now")]
    [InlineData(-3 * 24 * 60, "expired 3 days ago")]
    [InlineData(-90, "expired 2 hours ago")]
    public void ExpiryReadsAsTimeLeftOrTimeSince(int minutes, string expected) =>
        Assert.Equal(expected, RelativeTime.Expiry(Now.AddMinutes(minutes), Now));

    [Theory]
    [InlineData(-3 * 60, "3 hours ago")]
    [InlineData(-2 * 24 * 60, "2 days ago")]
    [InlineData(0, "just now")]
    public void PastInstantsReadAsAgo(int minutes, string expected) =>
        Assert.Equal(expected, RelativeTime.Until(Now.AddMinutes(minutes), Now));
}

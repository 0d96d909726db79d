using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Tests.Tokens;

public class ExpiryPolicyTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 15, 30, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(60)]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(365)]
    [InlineData(1)]
    [InlineData(17)]
    public void DaysCountFromNow(int days)
    {
        var (expiresAt, error) = ExpiryPolicy.Resolve(TokenExpiry.InDays(days), Now, 365);
        Assert.Null(error);
        Assert.Equal(Now.AddDays(days), expiresAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void DaysBelowOneAreRefused(int days)
    {
        var (expiresAt, error) = ExpiryPolicy.Resolve(TokenExpiry.InDays(days), Now, 365);
        Assert.Null(expiresAt);
        Assert.Equal(TokenErrorCodes.DaysOutOfRange, error!.Code);
        Assert.Equal(TokenFields.Days, error.Field);
    }

    [Fact]
    public void DaysBeyondTheMaximumAreRefusedNamingTheMaximum()
    {
        var (_, error) = ExpiryPolicy.Resolve(TokenExpiry.InDays(184), Now, 183);
        Assert.Equal(TokenErrorCodes.ExpiryBeyondMaximum, error!.Code);
        Assert.Contains("183", error.Message);
        Assert.Null(ExpiryPolicy.Resolve(TokenExpiry.InDays(183), Now, 183).Error);
    }

    [Fact]
    public void DateMeansMidnightUtcOfThatDay()
    {
        var (expiresAt, error) = ExpiryPolicy.Resolve(TokenExpiry.OnDate(new DateOnly(2027, 1, 31)), Now, 365);
        Assert.Null(error);
        Assert.Equal(new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc), expiresAt);
        Assert.Equal(DateTimeKind.Utc, expiresAt!.Value.Kind);
    }

    [Theory]
    [InlineData(2026, 11, 22)]
    [InlineData(2026, 11, 21)]
    [InlineData(2020, 1, 1)]
    public void TodayOrAPastDateIsRefused(int year, int month, int day)
    {
        var (_, error) = ExpiryPolicy.Resolve(TokenExpiry.OnDate(new DateOnly(year, month, day)), Now, 365);
        Assert.Equal(TokenErrorCodes.DateInPast, error!.Code);
        Assert.Equal(TokenFields.Date, error.Field);
    }

    [Fact]
    public void TomorrowIsTheEarliestDate()
    {
        Assert.Null(ExpiryPolicy.Resolve(TokenExpiry.OnDate(new DateOnly(2026, 11, 23)), Now, 365).Error);
    }

    [Fact]
    public void DateBeyondTheMaximumIsRefusedNamingTheLatestDate()
    {
        var latest = DateOnly.FromDateTime(Now.AddDays(183));
        Assert.Null(ExpiryPolicy.Resolve(TokenExpiry.OnDate(latest), Now, 183).Error);

        var (_, error) = ExpiryPolicy.Resolve(TokenExpiry.OnDate(latest.AddDays(1)), Now, 183);
        Assert.Equal(TokenErrorCodes.ExpiryBeyondMaximum, error!.Code);
        Assert.Contains(latest.ToString("yyyy-MM-dd"), error.Message);
    }

    [Fact]
    public void NoExpiryIsRefused()
    {
        Assert.Equal(TokenErrorCodes.ExpiryRequired, ExpiryPolicy.Resolve(null, Now, 365).Error!.Code);
    }
}

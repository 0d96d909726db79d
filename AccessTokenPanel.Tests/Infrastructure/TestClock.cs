using Microsoft.Extensions.Time.Testing;

namespace AccessTokenPanel.Tests.Infrastructure;

public static class TestClock
{
    /// <summary>Where every test clock starts: a fixed instant, so codes and expiries are reproducible.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => new(Start);
}

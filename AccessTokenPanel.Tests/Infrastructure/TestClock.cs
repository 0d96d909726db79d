using Microsoft.Extensions.Time.Testing;

namespace AccessTokenPanel.Tests.Infrastructure;

public static class TestClock
{
    /// <summary>Where every test clock starts: a fixed instant, so codes and expiries are reproducible.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => new(Start);

    /// <summary>
    /// For a whole app: the clock is the test's, but timers run in real time. MudBlazor takes the
    /// app's TimeProvider for its input debouncing, so with FakeTimeProvider's timers a debounced
    /// field would never report what a browser typed; the app's own periodic work (the usage flusher)
    /// runs as it does in production.
    /// </summary>
    public static FakeTimeProvider CreateForApp() => new RealTimersFakeClock(Start);

    private sealed class RealTimersFakeClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(callback, state, dueTime, period);
    }
}

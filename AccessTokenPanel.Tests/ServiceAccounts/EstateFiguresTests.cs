using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Components.Pages.Overview;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AccessTokenPanel.Tests.ServiceAccounts;

/// <summary>
/// The Overview's estate figures are counted at most once at a time, kept while fresh (30 s), shown
/// while a new count runs up to 5 min, and waited for beyond that.
/// </summary>
public sealed class EstateFiguresTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero));
    private readonly EstateFigures _figures;
    private int _counts;

    public EstateFiguresTests() =>
        _figures = new EstateFigures(_time, Options.Create(new OverviewOptions()), NullLogger<EstateFigures>.Instance);

    /// <summary>A count that says which one it was (in NeverUsed) and when it started.</summary>
    private Task<EstateOverview> Count() => Task.FromResult(Figures(Interlocked.Increment(ref _counts)));

    private Func<Task<EstateOverview>> CountOnceReleased(Task release) => async () =>
    {
        await release;
        return await Count();
    };

    private EstateOverview Figures(int count) => new(
        new Dictionary<ApiType, int>(), 0, 0, 0, 0, count, null, [], [], [], 0, _time.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task FreshFiguresAreShownWithoutCountingAgain()
    {
        Assert.Equal(1, (await _figures.GetAsync(Count)).NeverUsed);
        _time.Advance(TimeSpan.FromSeconds(29));

        Assert.Equal(1, (await _figures.GetAsync(Count)).NeverUsed);
        Assert.Equal(1, _counts);
    }

    [Fact]
    public async Task OlderFiguresAreShownOnceMoreWhileTheNextCountRunsForTheViewsAfter()
    {
        var first = await _figures.GetAsync(Count);
        _time.Advance(TimeSpan.FromSeconds(31));
        var release = new TaskCompletionSource();
        var counting = new TaskCompletionSource();
        Func<Task<EstateOverview>> slow = async () =>
        {
            counting.SetResult();
            await release.Task;
            return await Count();
        };

        // Shown at once, though the count it started has not ended.
        Assert.Same(first, await _figures.GetAsync(slow));
        await counting.Task;
        Assert.Same(first, await _figures.GetAsync(slow));
        release.SetResult();

        await WaitForAsync(async () => (await _figures.GetAsync(Count)).NeverUsed == 2);
        Assert.Equal(2, _counts);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, (await _figures.GetAsync(Count)).AsOf);
    }

    [Fact]
    public async Task FiguresOlderThanFiveMinutesAreNeverShown()
    {
        await _figures.GetAsync(Count);
        _time.Advance(TimeSpan.FromMinutes(5));

        var shown = await _figures.GetAsync(Count);

        Assert.Equal(2, shown.NeverUsed);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, shown.AsOf);
    }

    [Fact]
    public async Task ViewsArrivingTogetherShareOneCount()
    {
        var release = new TaskCompletionSource();
        var slow = CountOnceReleased(release.Task);

        var views = Enumerable.Range(0, 8).Select(_ => _figures.GetAsync(slow)).ToList();
        release.SetResult();
        var shown = await Task.WhenAll(views);

        Assert.Equal(1, _counts);
        Assert.All(shown, figures => Assert.Same(shown[0], figures));
    }

    [Fact]
    public async Task AFailedCountReachesTheViewWaitingForItAndTheNextViewCountsAgain()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _figures.GetAsync(() => Task.FromException<EstateOverview>(new InvalidOperationException("database gone"))));
        Assert.Equal("database gone", error.Message);

        Assert.Equal(1, (await _figures.GetAsync(Count)).NeverUsed);
    }

    [Fact]
    public async Task AViewThatGivesUpLeavesTheCountToTheOthers()
    {
        var release = new TaskCompletionSource();
        var slow = CountOnceReleased(release.Task);
        using var leaving = new CancellationTokenSource();
        var gaveUp = _figures.GetAsync(slow, leaving.Token);
        var staying = _figures.GetAsync(slow);

        leaving.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        release.SetResult();

        Assert.Equal(1, (await staying).NeverUsed);
        Assert.Equal(1, _counts);
    }

    /// <summary>Until the background count has ended (it runs on the thread pool; no clock involved).</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            await Task.Yield();
            patience.Token.ThrowIfCancellationRequested();
        }
    }
}

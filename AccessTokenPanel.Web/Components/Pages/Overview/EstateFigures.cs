using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Components.Pages.Overview;

/// <summary>Configuration section <c>Overview</c>: how old the estate's figures may be when shown.</summary>
public sealed class OverviewOptions
{
    public const string Section = "Overview";

    /// <summary>Figures younger than this are shown as they are (default 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan EstateFreshFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Older figures, up to this age, are still shown while new ones are counted in the background
    /// for the next view (default 5 min); older than this, the page waits for new ones.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan EstateShownAtMostFor { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The estate's figures of one instance, counted at most once at a time and kept for
/// <see cref="OverviewOptions.EstateFreshFor"/>. Counting every live token takes a pass over all of
/// them (0.3-0.5 s at a million tokens on SQLite), too long to make each view of the Overview wait
/// for; so a view is served the figures already counted (saying when: <see cref="EstateOverview.AsOf"/>)
/// and, once they are older than that, starts the next count for the views after it. Holds no
/// secret and nothing per user: who may see the figures is decided on each view, before they are read.
/// </summary>
public sealed class EstateFigures(TimeProvider time, IOptions<OverviewOptions> options, ILogger<EstateFigures> logger)
{
    private readonly Lock _gate = new();
    private EstateOverview? _current;
    private Task<EstateOverview>? _counting;

    /// <summary>
    /// The figures: the kept ones while they are fresh; the kept ones, with a new count started,
    /// while they may still be shown; otherwise the result of a count (started, or joined if one runs).
    /// <paramref name="count"/> runs apart from the caller (on its own scope, uncancelled: other views may wait for it).
    /// </summary>
    public Task<EstateOverview> GetAsync(Func<Task<EstateOverview>> count, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_current is { } current)
            {
                var age = time.GetUtcNow().UtcDateTime - current.AsOf;
                if (age < options.Value.EstateFreshFor)
                {
                    return Task.FromResult(current);
                }
                if (age < options.Value.EstateShownAtMostFor)
                {
                    StartCounting(count);
                    return Task.FromResult(current);
                }
            }
            return StartCounting(count).WaitAsync(cancellationToken);
        }
    }

    // Called under the lock: at most one count runs.
    private Task<EstateOverview> StartCounting(Func<Task<EstateOverview>> count)
    {
        if (_counting is { IsCompleted: false } running)
        {
            return running;
        }
        return _counting = Task.Run(async () =>
        {
            try
            {
                var figures = await count();
                lock (_gate)
                {
                    if (_current is null || figures.AsOf > _current.AsOf)
                    {
                        _current = figures;
                    }
                }
                return figures;
            }
            catch (Exception error)
            {
                // A view waiting for it sees the error; a count started for later views only logs it.
                logger.LogWarning(error, "Counting the estate's figures for the Overview failed.");
                throw;
            }
        });
    }
}

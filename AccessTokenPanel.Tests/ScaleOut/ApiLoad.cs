using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace AccessTokenPanel.Tests.ScaleOut;

/// <summary>
/// A steady load on the REST API through the balancer: a few workers, each calling
/// <c>GET /api/v1/tokens/current</c> with one token back to back over its own keep-alive
/// connection, until stopped. Every answer but 200 and every transport error is a failure.
/// </summary>
public sealed class ApiLoad : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers;
    private readonly ConcurrentQueue<string> _failures = new();
    private long _succeeded;

    public ApiLoad(Uri balancer, string secret, int workers)
    {
        // Several connections to nginx, as several clients would have.
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers }) { BaseAddress = balancer, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync)).ToList();
    }

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Calls made so far, whatever their outcome.</summary>
    public long Calls => Succeeded + _failures.Count;

    /// <summary>Waits until <paramref name="count"/> calls more than now have succeeded (the cluster serves).</summary>
    public Task WaitForMoreSuccessesAsync(int count, TimeSpan timeout)
    {
        var target = Succeeded + count;
        return WaitUntilAsync(() => Succeeded >= target, $"{target} calls succeeded (only {Succeeded} did)", timeout);
    }

    /// <summary>Waits, while the calls go on, until <paramref name="condition"/> holds (<paramref name="what"/> says what it is).</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Not within {timeout}: {what}; failures: {string.Join(" | ", _failures.Take(5))}");
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>Stops the workers after their current call.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // Not cancelled by _stop: a call once made is always finished and counted.
                using var response = await _http.GetAsync("/api/v1/tokens/current", CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _succeeded);
                }
                else
                {
                    _failures.Enqueue($"{(int)response.StatusCode} {response.Headers.Server} {await response.Content.ReadAsStringAsync()}".Trim());
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                _failures.Enqueue($"{ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _http.Dispose();
        _stop.Dispose();
    }
}

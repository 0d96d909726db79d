using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;

namespace AccessTokenPanel.Tests.Usage;

public sealed class TokenUsageCountsTests
{
    private static readonly DateTime Noon = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task CallsCountedWhileDrainingAreNeitherLostNorCountedTwice()
    {
        var counts = new TokenUsageCounts();
        var token = Guid.NewGuid();
        const int perThread = 50_000;
        long drained = 0;
        using var stop = new CancellationTokenSource();
        var drainer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                drained += counts.Drain().Requests.Sum(r => r.Count);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                counts.CountUse(token, Noon, null);
            }
        })));
        stop.Cancel();
        await drainer;
        drained += counts.Drain().Requests.Sum(r => r.Count);

        Assert.Equal(4L * perThread, drained);
    }

    [Fact]
    public void ARestoredBatchAddsToCallsCountedMeanwhile()
    {
        var counts = new TokenUsageCounts();
        var token = Guid.NewGuid();
        counts.CountUse(token, Noon, "10.0.0.1");
        counts.CountRefusal(token, TokenValidationStatus.Revoked, Noon);
        var failed = counts.Drain();
        counts.CountUse(token, Noon, "10.0.0.2");

        counts.Restore(failed);

        var batch = counts.Drain();
        Assert.Equal(2, Assert.Single(batch.Requests).Count);
        Assert.Equal(1, Assert.Single(batch.Refusals).Count);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], batch.Addresses.Select(a => a.Address).Order());
        Assert.True(counts.IsEmpty);
    }

    [Fact]
    public void PastTheKeyLimitCallsAreOnlyCountedAsDropped()
    {
        var counts = new TokenUsageCounts();
        for (var i = 0; i < TokenUsageCounts.MaxKeys + 10; i++)
        {
            counts.CountUse(Guid.NewGuid(), Noon, null);
        }

        var batch = counts.Drain();
        Assert.Equal(TokenUsageCounts.MaxKeys, batch.Requests.Count);
        Assert.Equal(10, batch.Dropped);
        Assert.True(counts.IsEmpty);
    }
}

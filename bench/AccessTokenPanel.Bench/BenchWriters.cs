using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Bench;

/// <summary>
/// Writers running beside the read load (<c>serve</c> with ATP_BENCH_WRITERS=N): each issues a REST
/// token for a user of its own and revokes it, again and again, through the app's own issuer and
/// revoker (each write audited, as in the panel), until stopped. Counts what they wrote.
/// </summary>
internal sealed class BenchWriters : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _writers = [];
    private long _issued;
    private long _revoked;

    public long Issued => Interlocked.Read(ref _issued);
    public long Revoked => Interlocked.Read(ref _revoked);

    public static async Task<BenchWriters> StartAsync(IServiceProvider services, int count)
    {
        var writers = new BenchWriters();
        for (var i = 0; i < count; i++)
        {
            string ownerId;
            await using (var scope = services.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
                var owner = new PanelUser { UserName = $"writer{i}@example.com", Email = $"writer{i}@example.com", DisplayName = $"Writer {i}", CreatedAt = DateTime.UtcNow };
                var created = await users.CreateAsync(owner);
                ownerId = created.Succeeded ? owner.Id : throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
            }
            var writer = i;
            writers._writers.Add(Task.Run(() => writers.WriteAsync(services, ownerId, writer)));
        }
        return writers;
    }

    private async Task WriteAsync(IServiceProvider services, string ownerId, int writer)
    {
        var stop = _stop.Token;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var issued = await scope.ServiceProvider.GetRequiredService<TokenIssuer>()
                    .IssueAsync(new IssueTokenRequest(ownerId, $"writer {writer} {n}", ApiType.Rest, null, TokenExpiry.InDays(30)), stop);
                var id = issued.Token?.Id ?? throw new InvalidOperationException(issued.ToString());
                Interlocked.Increment(ref _issued);
                await scope.ServiceProvider.GetRequiredService<TokenRevoker>().RevokeManyAsync([id], ownerId, "bench writer", stop);
                Interlocked.Increment(ref _revoked);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writers);
        _stop.Dispose();
    }
}

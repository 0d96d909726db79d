using System.Threading.RateLimiting;
using AccessTokenPanel.Web.Hosting;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Api.GraphQL;

/// <summary>
/// The GraphQL limit (<see cref="GraphQLRateLimitOptions"/>) per caller, the panel user however they
/// authenticated: the rate limiting middleware runs before authentication and sees only addresses,
/// so a token spread over many addresses is held here, once the endpoint knows whose it is.
/// </summary>
internal sealed class GraphQLCallerRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public GraphQLCallerRateLimiter(IOptions<GraphQLRateLimitOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetFixedWindowLimiter(userId, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = limits.PermitLimit, Window = limits.Window, QueueLimit = 0 }));
    }

    /// <summary>A lease that says whether the user may make another request now (and, if not, when to retry).</summary>
    public RateLimitLease Acquire(string userId) => _limiter.AttemptAcquire(userId);

    public void Dispose() => _limiter.Dispose();
}

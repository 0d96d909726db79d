using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>
/// The credentials rate limit (<see cref="CredentialsRateLimitOptions"/>) per user, for every step-up
/// code wherever it is typed (<see cref="Domain.Authorization.StepUpVerifier"/> asks it): a circuit's
/// events are not HTTP requests, so the rate limiting middleware never sees the screens' codes, and
/// the API's codes come from many addresses. Partitioned per user, the account the codes are guessed for.
/// </summary>
public sealed class StepUpRateLimiter : Domain.Authorization.IStepUpThrottle, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public StepUpRateLimiter(IOptions<CredentialsRateLimitOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetFixedWindowLimiter(userId, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = limits.PermitLimit, Window = limits.Window, QueueLimit = 0 }));
    }

    /// <summary>True when the user may try another code now.</summary>
    public bool TryAcquire(string userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

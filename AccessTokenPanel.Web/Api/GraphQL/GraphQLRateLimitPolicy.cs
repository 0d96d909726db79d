using System.Threading.RateLimiting;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.RateLimiting;

namespace AccessTokenPanel.Web.Api.GraphQL;

/// <summary>
/// <see cref="RateLimitPolicies.GraphQL"/>: runs before authentication, so it knows only the client
/// address. A request with an X-OTP code is a code attempt and counts in the credentials limit's
/// window (kept apart from the other endpoints' windows: a policy's partitions are its own); any
/// other request counts in the GraphQL window. Refusals keep the GraphQL error shape.
/// </summary>
internal sealed class GraphQLRateLimitPolicy(GraphQLRateLimitOptions limits, CredentialsRateLimitOptions codeLimits) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (rejected, _) =>
    {
        var http = rejected.HttpContext;
        var what = IsCodeAttempt(http.Request)
            ? "Too many authentication code attempts from your address."
            : "Too many GraphQL requests from your address.";
        await GraphQLEndpoint.WriteRateLimitedAsync(http, rejected.Lease, what);
    };

    public RateLimitPartition<string> GetPartition(HttpContext http)
    {
        var address = ClientAddress.TextOf(http) ?? "unknown";
        return IsCodeAttempt(http.Request)
            ? RateLimitPartition.GetFixedWindowLimiter("code " + address, _ => Window(codeLimits.PermitLimit, codeLimits.Window))
            : RateLimitPartition.GetFixedWindowLimiter(address, _ => Window(limits.PermitLimit, limits.Window));
    }

    private static bool IsCodeAttempt(HttpRequest request) => request.Headers.ContainsKey(BasicCredentials.OtpHeader);

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0 };
}

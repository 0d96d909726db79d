using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using AccessTokenPanel.Web.Api.GraphQL;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>Rate limiter policy names for <c>RequireRateLimiting</c> / <c>[EnableRateLimiting]</c>.</summary>
public static class RateLimitPolicies
{
    /// <summary>
    /// For every endpoint that accepts a password or a TOTP code: a fixed window per client IP.
    /// GET and HEAD without an Authorization or X-OTP header are not counted, so a page that
    /// shows a sign-in form can carry the policy and only its form posts count.
    /// </summary>
    public const string Credentials = "credentials";

    /// <summary>
    /// For <c>POST /api/v1/leaks</c>: a fixed window per client address of its own, so that signed
    /// reports (a scanner sends many, in bursts) neither use up nor are held back by the credentials limit.
    /// </summary>
    public const string LeakReports = "leak-reports";

    /// <summary>
    /// For <c>POST /api/graphql</c>: a fixed window per client address of its own
    /// (<see cref="GraphQLRateLimitOptions"/>), checked before the caller is authenticated; a request
    /// carrying an X-OTP code counts instead in a window per address with the credentials limit, like
    /// every other endpoint that takes a code. The endpoint also limits each caller once authenticated.
    /// </summary>
    public const string GraphQL = "graphql";
}

/// <summary>The <c>RateLimiting:GraphQL</c> section of appsettings.json: per client address, and again per caller.</summary>
public sealed class GraphQLRateLimitOptions
{
    public const string Section = "RateLimiting:GraphQL";

    /// <summary>Requests allowed per client address per window, and per caller (panel user) per window.</summary>
    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 60;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The <c>RateLimiting:LeakReports</c> section of appsettings.json.</summary>
public sealed class LeakReportRateLimitOptions
{
    public const string Section = "RateLimiting:LeakReports";

    /// <summary>Reports allowed per client address per window.</summary>
    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 120;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The <c>RateLimiting:Credentials</c> section of appsettings.json.</summary>
public sealed class CredentialsRateLimitOptions
{
    public const string Section = "RateLimiting:Credentials";

    /// <summary>Attempts allowed per client address per window.</summary>
    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

internal static class RateLimiting
{
    public static IServiceCollection AddPanelRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<CredentialsRateLimitOptions>().BindConfiguration(CredentialsRateLimitOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LeakReportRateLimitOptions>().BindConfiguration(LeakReportRateLimitOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GraphQLRateLimitOptions>().BindConfiguration(GraphQLRateLimitOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<CredentialsRateLimitOptions>, IOptions<LeakReportRateLimitOptions>, IOptions<GraphQLRateLimitOptions>>(
            (limiter, credentials, leakReports, graphQL) =>
        {
            var limits = credentials.Value;
            var leakLimits = leakReports.Value;
            limiter.AddPolicy(RateLimitPolicies.GraphQL, new GraphQLRateLimitPolicy(graphQL.Value, limits));
            limiter.AddPolicy(RateLimitPolicies.LeakReports, context =>
                RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress.TextOf(context) ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = leakLimits.PermitLimit,
                        Window = leakLimits.Window,
                        QueueLimit = 0,
                    }));
            limiter.AddPolicy(RateLimitPolicies.Credentials, context =>
                IsSafeWithoutCredentials(context.Request)
                    ? RateLimitPartition.GetNoLimiter("safe")
                    : RateLimitPartition.GetFixedWindowLimiter(
                        ClientAddress.TextOf(context) ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = limits.PermitLimit,
                            Window = limits.Window,
                            QueueLimit = 0,
                        }));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var detail = "Too many attempts from your address. Wait and try again.";
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
                    http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    detail = $"Too many attempts from your address. Try again in {seconds} seconds.";
                }
                await Results.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests")
                    .ExecuteAsync(http);
            };
        });
        return services;
    }

    private static bool IsSafeWithoutCredentials(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !request.Headers.ContainsKey("Authorization")
        && !request.Headers.ContainsKey("X-OTP");
}

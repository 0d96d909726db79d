using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>
/// Liveness (<c>/healthz/live</c>: the process answers, nothing else is asked, so a database outage
/// never gets the process restarted) and readiness (<c>/healthz/ready</c>: the database is reachable,
/// writable and migrated, so a balancer stops sending requests the app would answer with 503).
/// <c>/healthz</c> stays the combined report it always was: readiness's answer.
/// </summary>
internal static class HealthChecks
{
    /// <summary>The tag of every check that readiness (and <c>/healthz</c>) runs.</summary>
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapPanelHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz/live", Options(_ => false));
        endpoints.MapHealthChecks("/healthz/ready", Options(check => check.Tags.Contains(ReadyTag)));
        endpoints.MapHealthChecks("/healthz", Options(check => check.Tags.Contains(ReadyTag)));
        return endpoints;
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = async (context, report) =>
        {
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
                // Why a check failed, in words without paths or connection strings (the endpoint is
                // anonymous); the exception with the details goes to the log.
                details = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy && e.Value.Description is not null)
                    .ToDictionary(e => e.Key, e => e.Value.Description),
            });
        },
    };
}

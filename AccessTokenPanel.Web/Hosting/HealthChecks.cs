using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace AccessTokenPanel.Web.Hosting;

internal static class HealthChecks
{
    public static IEndpointConventionBuilder MapPanelHealthChecks(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
                });
            },
        });
}

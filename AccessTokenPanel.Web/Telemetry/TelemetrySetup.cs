using System.Net;
using AccessTokenPanel.Domain.Telemetry;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AccessTokenPanel.Web.Telemetry;

/// <summary>
/// OpenTelemetry: traces of ASP.NET Core, HttpClient and EF Core; metrics of the runtime, ASP.NET
/// Core and the panel's own meter (<see cref="PanelMetrics"/>). Exported to a Prometheus scrape
/// endpoint and/or an OTLP collector when configured; collected always, so tests and a later
/// configuration change see the same pipeline.
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddPanelTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The exporters are chosen while the providers are built, before options can be resolved:
        // read the same section here (invalid values still fail at start through the validation above).
        var settings = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(string.IsNullOrWhiteSpace(settings.ServiceName) ? "AccessTokenPanel" : settings.ServiceName))
            .WithTracing(tracing => tracing
                // url.query is redacted by default: GET /api/v1/user-token?token=... never reaches a span.
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsScrape(http, settings))
                .AddHttpClientInstrumentation()
                // Statements' text with placeholders; parameter values (hashes, names, addresses) are not recorded.
                .AddEntityFrameworkCoreInstrumentation())
            .WithMetrics(metrics =>
            {
                metrics.AddRuntimeInstrumentation()
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter(PanelMetrics.MeterName);
                if (settings.Prometheus.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (settings.Otlp.IsEnabled && Uri.TryCreate(settings.Otlp.Endpoint!.Trim(), UriKind.Absolute, out var endpoint))
        {
            // Traces, metrics and logs to one collector (/v1/traces ... appended for HttpProtobuf).
            telemetry.UseOtlpExporter(settings.Otlp.Protocol, endpoint);
        }
        return services;
    }

    /// <summary>
    /// Builds the tracer and meter providers now instead of when the host starts, so the start-up
    /// migration and seeding are traced like any other work. It matters beyond that: EF Core
    /// remembers for a second (its logging cache time) that nobody listened to a pooled context's
    /// commands, and the contexts seeding used would otherwise leave the first requests untraced.
    /// </summary>
    public static WebApplication StartPanelTelemetry(this WebApplication app)
    {
        _ = app.Services.GetService<TracerProvider>();
        _ = app.Services.GetService<MeterProvider>();
        return app;
    }

    /// <summary>
    /// The scrape endpoint, when enabled: answered only for client addresses in
    /// <see cref="PrometheusOptions.AllowedNetworks"/>; anyone else gets the 404 of a path that does not exist.
    /// </summary>
    public static WebApplication MapPanelMetrics(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!settings.Prometheus.Enabled)
        {
            return app;
        }
        var networks = settings.Prometheus.Networks;
        app.MapPrometheusScrapingEndpoint(settings.Prometheus.Path)
            .PerformsNoOperation("Prometheus scrape: operational counters, no panel data; answered only to the allowed networks.");
        // Before the endpoint runs (this is called after authorization, in front of the endpoints).
        app.Use(async (http, next) =>
        {
            if (IsScrape(http, settings) && !IsAllowed(ClientAddress.Of(http), networks))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(http);
        });
        return app;
    }

    private static bool IsScrape(HttpContext http, TelemetryOptions settings) =>
        settings.Prometheus.Enabled && http.Request.Path.Equals(settings.Prometheus.Path, StringComparison.OrdinalIgnoreCase);

    internal static bool IsAllowed(IPAddress? address, IReadOnlyList<IPNetwork> networks)
    {
        if (address is null)
        {
            return false;
        }
        var normalized = AddressAllowlist.Normalize(address);
        return networks.Any(n => n.Contains(normalized));
    }
}

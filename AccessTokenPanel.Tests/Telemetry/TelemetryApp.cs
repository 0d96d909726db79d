using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Web.Data.Sqlite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AccessTokenPanel.Tests.Telemetry;

/// <summary>
/// The app with the Prometheus endpoint on (unless a test says otherwise) and every finished span
/// kept, as the exporters would get it: through the app's own tracer provider.
/// </summary>
public sealed class TelemetryApp : ApiAppFactory
{
    public TelemetryApp(bool prometheus = true, string? allowedNetworks = null)
    {
        Settings["Telemetry:Prometheus:Enabled"] = prometheus ? "true" : "false";
        if (allowedNetworks is not null)
        {
            Settings["Telemetry:Prometheus:AllowedNetworks:0"] = allowedNetworks;
        }
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    /// <summary>
    /// How long EF Core may remember that nobody listened to a context's commands (its logging
    /// cache time, a second unless set): a long one makes a test of that independent of timing.
    /// </summary>
    public TimeSpan? EfLoggingCacheTime { get; init; }

    /// <summary>Every span's name, tags, status and events, one per line, for searching.</summary>
    public string SpansText()
    {
        var text = new StringBuilder();
        foreach (var span in Spans)
        {
            text.Append(span.Source.Name).Append(' ').Append(span.DisplayName).Append(' ').Append(span.StatusDescription);
            foreach (var tag in span.TagObjects)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }
            foreach (var e in span.Events)
            {
                text.Append(' ').Append(e.Name);
                foreach (var tag in e.Tags)
                {
                    text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
                }
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new Capture(Spans)));
            if (EfLoggingCacheTime is { } cacheTime)
            {
                services.ConfigureDbContext<SqlitePanelDbContext>(db => db.ConfigureLoggingCacheTime(cacheTime));
            }
        });
    }

    private sealed class Capture(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AccessTokenPanel.Tests.Telemetry;

/// <summary>A real OTLP/HTTP endpoint on a loopback port: keeps every posted (protobuf) body by path, answers 200.</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

    private OtlpCollector(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<string> Paths => _received.Select(r => r.Path).Distinct().ToList();

    /// <summary>Every body, one after another, for searching bytes (protobuf keeps strings as UTF-8).</summary>
    public byte[] AllBodies() => _received.SelectMany(r => r.Body).ToArray();

    public static async Task<OtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var collector = new OtlpCollector(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            collector._received.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync();
        collector.Url = new Uri(app.Urls.First());
        return collector;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

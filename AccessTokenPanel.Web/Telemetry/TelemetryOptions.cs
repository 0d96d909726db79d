using System.ComponentModel.DataAnnotations;
using System.Net;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Web.Telemetry;

/// <summary>The <c>Telemetry</c> section: where metrics and traces go (nowhere unless configured).</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>The <c>service.name</c> resource attribute on every trace, metric and log exported.</summary>
    public string ServiceName { get; set; } = "AccessTokenPanel";

    public PrometheusOptions Prometheus { get; set; } = new();

    public OtlpOptions Otlp { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ServiceName))
        {
            yield return new ValidationResult("Telemetry:ServiceName cannot be empty.", [nameof(ServiceName)]);
        }
        // The token allowlist's rules: a network with host bits set is refused with the one it probably means.
        foreach (var error in AddressAllowlist.Parse(Prometheus.AllowedNetworks).Errors)
        {
            yield return new ValidationResult($"Telemetry:Prometheus:AllowedNetworks: {error.Message}", [nameof(Prometheus)]);
        }
        if (!Prometheus.Path.StartsWith('/') || Prometheus.Path.Length < 2)
        {
            yield return new ValidationResult($"Telemetry:Prometheus:Path must start with '/', e.g. \"/metrics\" (got '{Prometheus.Path}').", [nameof(Prometheus)]);
        }
        if (Otlp.IsEnabled && (!Uri.TryCreate(Otlp.Endpoint!.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult(
                $"Telemetry:Otlp:Endpoint must be an http or https address such as http://collector:4317 (got '{Otlp.Endpoint}').", [nameof(Otlp)]);
        }
    }
}

public sealed class PrometheusOptions
{
    /// <summary>Serves the scrape endpoint; off by default.</summary>
    public bool Enabled { get; set; }

    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// Client networks (CIDR) that may scrape; anyone else gets 404, as if there were no endpoint.
    /// Loopback when not set. The client address is the one the panel believes (<c>Hosting:TrustedProxies</c>).
    /// </summary>
    public string[]? AllowedNetworks { get; set; }

    public static readonly string[] DefaultAllowedNetworks = ["127.0.0.0/8", "::1/128"];

    public IReadOnlyList<IPNetwork> Networks =>
        AddressAllowlist.Parse(AllowedNetworks is { Length: > 0 } ? AllowedNetworks : DefaultAllowedNetworks).Networks;
}

public sealed class OtlpOptions
{
    /// <summary>The collector's address (e.g. <c>http://otel-collector:4317</c>); none: no OTLP export.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>Grpc</c> (port 4317) or <c>HttpProtobuf</c> (port 4318).</summary>
    public OpenTelemetry.Exporter.OtlpExportProtocol Protocol { get; set; } = OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Endpoint);
}

using System.ComponentModel.DataAnnotations;

namespace AccessTokenPanel.Web.Audit;

public enum AuditSinkType
{
    Syslog,
    Webhook,
}

/// <summary>
/// The <c>Audit</c> section's <c>Sinks</c>: named places every audit entry is streamed to, e.g.
/// <c>Audit:Sinks:siem:Type=Syslog</c>, <c>Audit:Sinks:siem:Host=siem.example.com</c>.
/// </summary>
public sealed class AuditSinkOptions : IValidatableObject
{
    public const string Section = "Audit";
    public const int MinSecretLength = 16;

    public Dictionary<string, AuditSinkSettings> Sinks { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, sink) in Sinks)
        {
            var key = $"Audit:Sinks:{name}";
            if (name.Length > Domain.Audit.AuditSinkCursor.SinkMaxLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                yield return new ValidationResult($"{key}: a sink's name is up to 64 letters, digits, '-', '_' or '.'.");
            }
            if (sink.Timeout <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"{key}:Timeout must be positive, e.g. \"00:00:10\".");
            }
            switch (sink.Type)
            {
                case AuditSinkType.Syslog:
                    if (string.IsNullOrWhiteSpace(sink.Host))
                    {
                        yield return new ValidationResult($"{key}:Host is required for a syslog sink (the server's name or address).");
                    }
                    if (sink.Port is < 1 or > 65535)
                    {
                        yield return new ValidationResult($"{key}:Port must be between 1 and 65535.");
                    }
                    if (!string.IsNullOrWhiteSpace(sink.TlsCaCertificatePath) && SyslogAuditSink.LoadCa(sink.TlsCaCertificatePath) is null)
                    {
                        yield return new ValidationResult($"{key}:TlsCaCertificatePath: '{sink.TlsCaCertificatePath}' is not a readable PEM certificate.");
                    }
                    if (sink.Facility is < 0 or > 23)
                    {
                        yield return new ValidationResult($"{key}:Facility is a syslog facility number, 0 to 23 (13: log audit).");
                    }
                    break;
                case AuditSinkType.Webhook:
                    if (!Uri.TryCreate(sink.Url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo != "")
                    {
                        yield return new ValidationResult($"{key}:Url must be an https (or http) address without credentials (got '{sink.Url}').");
                    }
                    if (string.IsNullOrEmpty(sink.Secret) || sink.Secret.Length < MinSecretLength)
                    {
                        yield return new ValidationResult($"{key}:Secret must be at least {MinSecretLength} characters: receivers check the signature with it.");
                    }
                    break;
                default:
                    yield return new ValidationResult($"{key}:Type must be Syslog or Webhook.");
                    break;
            }
        }
    }
}

public sealed class AuditSinkSettings
{
    public AuditSinkType Type { get; set; }

    /// <summary>A configured sink can be paused without losing its place.</summary>
    public bool Enabled { get; set; } = true;

    // Syslog (RFC 5424 over TCP, octet-counting framing; RFC 5425 when Tls)
    public string? Host { get; set; }
    public int Port { get; set; } = 6514;
    public bool Tls { get; set; }
    /// <summary>The name the server's certificate must carry when it differs from <see cref="Host"/>.</summary>
    public string? TlsServerName { get; set; }
    /// <summary>
    /// A PEM file with the certificate authority (or the server's own self-signed certificate) that
    /// the server's certificate must chain to, instead of the machine's trusted roots: SIEMs often
    /// use a private CA.
    /// </summary>
    public string? TlsCaCertificatePath { get; set; }
    /// <summary>13 = log audit (RFC 5424 table 1).</summary>
    public int Facility { get; set; } = 13;
    public string AppName { get; set; } = "accesstokenpanel";

    // Webhook
    public string? Url { get; set; }
    public string? Secret { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AccessTokenPanel.Domain.Audit;

namespace AccessTokenPanel.Web.Audit;

/// <summary>
/// Streams audit entries to a syslog server as RFC 5424 messages over TCP with octet-counting
/// framing (RFC 6587 3.4.1: <c>LENGTH SP MESSAGE</c>), optionally in TLS (RFC 5425). One connection
/// per batch; an entry counts as delivered once its frame was written and flushed.
/// </summary>
public sealed class SyslogAuditSink(string name, AuditSinkSettings settings) : IAuditSink
{
    private readonly X509Certificate2? _ca = string.IsNullOrWhiteSpace(settings.TlsCaCertificatePath) ? null : LoadCa(settings.TlsCaCertificatePath);

    // The enterprise number RFC 5612 reserves for documentation and examples; the panel has none of its own.
    public const string StructuredDataId = "atp@32473";
    private const int SeverityInformational = 6;
    private static readonly string Hostname = Sanitize(Environment.MachineName, 255);

    public string Name => name;

    public string Describe() => $"Syslog (RFC 5424, TCP{(settings.Tls ? " + TLS" : "")}) to {settings.Host}:{settings.Port}";

    public async Task<AuditSinkResult> SendAsync(IReadOnlyList<AuditRow> entries, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var sent = 0;
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(settings.Host!, settings.Port, timeout.Token);
            await using var network = client.GetStream();
            Stream stream = network;
            if (settings.Tls)
            {
                var tls = new SslStream(network, leaveInnerStreamOpen: true);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = string.IsNullOrWhiteSpace(settings.TlsServerName) ? settings.Host : settings.TlsServerName,
                    RemoteCertificateValidationCallback = _ca is null ? null : ChainsToPrivateCa,
                }, timeout.Token);
                stream = tls;
            }
            await using (stream)
            {
                foreach (var row in entries)
                {
                    await stream.WriteAsync(Frame(row), timeout.Token);
                    await stream.FlushAsync(timeout.Token);
                    sent++;
                }
            }
            return AuditSinkResult.All(sent);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AuditSinkResult.Failure(sent, $"The syslog server {settings.Host}:{settings.Port} did not answer within {settings.Timeout.TotalSeconds:0} seconds.");
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return AuditSinkResult.Failure(sent, $"The syslog server {settings.Host}:{settings.Port} could not be reached: {ex.Message}");
        }
    }

    /// <summary>The CA certificate in a PEM file, or null when it cannot be read.</summary>
    public static X509Certificate2? LoadCa(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    // The name must match as always; only the chain is judged against the configured CA instead of the machine's roots.
    private bool ChainsToPrivateCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca!);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    /// <summary>One octet-counted RFC 5424 frame.</summary>
    public byte[] Frame(AuditRow row)
    {
        var message = Message(row);
        var length = Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " ");
        return [.. length, .. message];
    }

    // <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] BOM MSG
    private byte[] Message(AuditRow row)
    {
        var e = row.Entry;
        var header = new StringBuilder()
            .Append('<').Append((settings.Facility * 8 + SeverityInformational).ToString(CultureInfo.InvariantCulture)).Append(">1 ")
            .Append(e.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append(' ')
            .Append(Hostname).Append(' ')
            .Append(Sanitize(settings.AppName, 48)).Append(' ')
            .Append(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(Sanitize(e.Action, 32)).Append(' ')
            .Append('[').Append(StructuredDataId)
            .Append(Param("id", e.Id.ToString(CultureInfo.InvariantCulture)))
            .Append(Param("actorId", e.ActorId))
            .Append(Param("actorEmail", row.ActorEmail))
            .Append(Param("subjectType", e.SubjectType))
            .Append(Param("subjectId", e.SubjectId))
            .Append("] ");
        // The message is UTF-8, marked with a BOM as RFC 5424 6.4 asks.
        return [.. Encoding.ASCII.GetBytes(header.ToString()), 0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(e.Details)];
    }

    private static string Param(string name, string? value) =>
        value is null ? "" : $" {name}=\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("]", "\\]")}\"";

    // Header fields are printable US-ASCII without spaces (RFC 5424 6.2); "-" when empty.
    private static string Sanitize(string? value, int max)
    {
        var clean = new string((value ?? "").Where(c => c is > ' ' and <= '~').Take(max).ToArray());
        return clean.Length == 0 ? "-" : clean;
    }
}

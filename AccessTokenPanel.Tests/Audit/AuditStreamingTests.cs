using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Audit;
using AccessTokenPanel.Web.Hosting;
using AccessTokenPanel.Web.Notices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Audit;

/// <summary>
/// Every audit entry reaches every sink, in order, at least once: a real syslog server on a TCP
/// port and a real webhook; a sink that is down falls behind and catches up without a gap.
/// </summary>
public partial class AuditStreamingTests(DatabaseProvider provider = DatabaseProvider.Sqlite)
{
    private const string Secret = "audit-webhook-secret-0123";

    [Fact]
    public async Task EachEntryReachesTheSyslogServerAsAnOctetCountedRfc5424Frame()
    {
        await using var syslog = SyslogReceiver.Start();
        await using var app = App(("siem", syslog));
        await RecordAsync(app, 3, "entry \"quoted\" ]");

        await StreamAsync(app);

        var frames = await syslog.WaitForAsync(3);
        var entries = await EntriesAsync(app);
        Assert.Equal(entries.Select(e => e.Id), frames.Select(IdOf));
        var first = Frame().Match(frames[0]);
        Assert.True(first.Success, frames[0]);
        // facility 13 (log audit) * 8 + severity 6 (informational)
        Assert.Equal("110", first.Groups["pri"].Value);
        Assert.Equal(entries[0].OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"), first.Groups["time"].Value);
        Assert.Equal(("accesstokenpanel", "token.created"), (first.Groups["app"].Value, first.Groups["msgid"].Value));
        Assert.Contains("subjectType=\"token\"", first.Groups["sd"].Value);
        Assert.Equal("\uFEFF" + entries[0].Details, first.Groups["msg"].Value);
        Assert.Equal(0, await BacklogAsync(app, "siem"));
    }

    [Fact]
    public async Task ASyslogServerThatIsDownDelaysTheEntriesAndLosesNoneOfThem()
    {
        await using var syslog = SyslogReceiver.Down();
        await using var app = App(("siem", syslog));
        await RecordAsync(app, 5, "before the outage");

        await StreamAsync(app);
        var down = Assert.Single(await StatusAsync(app));
        Assert.Equal(5, down.Backlog);
        Assert.Contains($"127.0.0.1:{syslog.Port} could not be reached", down.LastError);
        Assert.Equal(1, down.FailedAttempts);

        // Still down: the next attempt waits 5 s, then 10 s.
        app.Time.Advance(TimeSpan.FromSeconds(5));
        await StreamAsync(app);
        Assert.Equal(2, Assert.Single(await StatusAsync(app)).FailedAttempts);
        app.Time.Advance(TimeSpan.FromSeconds(9));
        await StreamAsync(app);
        Assert.Equal(2, Assert.Single(await StatusAsync(app)).FailedAttempts);

        syslog.Restart();
        await RecordAsync(app, 4, "during the outage");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await StreamAsync(app);

        var frames = await syslog.WaitForAsync(9);
        Assert.Equal((await EntriesAsync(app)).Select(e => e.Id), frames.Select(IdOf));
        var caughtUp = Assert.Single(await StatusAsync(app));
        Assert.Equal((0L, 0, (string?)null), (caughtUp.Backlog, caughtUp.FailedAttempts, caughtUp.LastError));
    }

    [Fact]
    public async Task TheWebhookGetsSignedBatchesInOrderAndARefusedBatchIsSentAgain()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var app = App(("hook", null), hook);
        await RecordAsync(app, 3, "first");
        hook.AnswerStatus = 503;

        await StreamAsync(app);
        Assert.Contains("503", Assert.Single(await StatusAsync(app)).LastError);

        hook.AnswerStatus = 204;
        await RecordAsync(app, 2, "second");
        app.Time.Advance(TimeSpan.FromSeconds(5));
        await StreamAsync(app);

        var requests = hook.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.Equal(
            "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), r.Body)),
            r.Headers[WebhookNoticeChannel.SignatureHeader]));
        Assert.Equal("audit.entries", requests[1].Headers[WebhookNoticeChannel.EventHeader]);
        var refused = Ids(requests[0].Body);
        var delivered = Ids(requests[1].Body);
        var entries = (await EntriesAsync(app)).Select(e => e.Id).ToList();
        Assert.Equal(entries.Take(3), refused);
        Assert.Equal(entries, delivered);
        var entry = JsonDocument.Parse(requests[1].Body).RootElement.GetProperty("entries")[0];
        Assert.Equal(("token.created", "token", "first 0"),
            (entry.GetProperty("action").GetString(), entry.GetProperty("subjectType").GetString(), entry.GetProperty("details").GetString()));
        Assert.Equal(0, await BacklogAsync(app, "hook"));
    }

    [Fact]
    public async Task OverTlsTheFramesArriveWhenTheServerCertificateChainsToTheConfiguredCa()
    {
        using var certificate = ServerCertificate("syslog.test");
        var caPath = Path.Combine(Directory.CreateTempSubdirectory("atp-ca-").FullName, "ca.pem");
        await File.WriteAllTextAsync(caPath, certificate.ExportCertificatePem());
        await using var syslog = SyslogReceiver.Start(certificate);
        await using var app = App(("siem", syslog));
        app.Settings["Audit:Sinks:siem:Tls"] = "true";
        app.Settings["Audit:Sinks:siem:TlsServerName"] = "syslog.test";
        app.Settings["Audit:Sinks:siem:TlsCaCertificatePath"] = caPath;
        await RecordAsync(app, 2, "over TLS");

        await StreamAsync(app);

        var frames = await syslog.WaitForAsync(2);
        Assert.Equal((await EntriesAsync(app)).Select(e => e.Id), frames.Select(IdOf));
        Assert.Empty(syslog.HandshakeErrors);
    }

    [Fact]
    public async Task OverTlsAServerCertificateNobodyTrustsIsRefusedAndTheEntriesWait()
    {
        using var certificate = ServerCertificate("syslog.test");
        await using var syslog = SyslogReceiver.Start(certificate);
        await using var app = App(("siem", syslog));
        app.Settings["Audit:Sinks:siem:Tls"] = "true";
        app.Settings["Audit:Sinks:siem:TlsServerName"] = "syslog.test";
        await RecordAsync(app, 2, "over TLS");

        await StreamAsync(app);

        var status = Assert.Single(await StatusAsync(app));
        Assert.Equal(2, status.Backlog);
        Assert.Contains("could not be reached", status.LastError);
        Assert.Empty(syslog.Messages);
    }

    private static X509Certificate2 ServerCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    [Fact]
    public async Task AWebhookWithoutALongEnoughSecretStopsTheStart()
    {
        await using var app = new StreamingApp(provider);
        app.Settings["Audit:Sinks:hook:Type"] = "Webhook";
        app.Settings["Audit:Sinks:hook:Url"] = "https://siem.example.test/audit";
        app.Settings["Audit:Sinks:hook:Secret"] = "short";

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Audit:Sinks:hook:Secret must be at least 16 characters", error.ToString());
    }

    private sealed class StreamingApp : PanelAppFactory
    {
        public StreamingApp(DatabaseProvider provider) => Provider = provider;
    }

    private PanelAppFactory App((string Name, SyslogReceiver? Syslog) sink, WebhookReceiver? hook = null)
    {
        var app = new StreamingApp(provider);
        // The worker's own timer stays out of the way: the test streams when it says.
        app.Settings["Audit:Streaming:Interval"] = "01:00:00";
        var key = $"Audit:Sinks:{sink.Name}";
        if (sink.Syslog is not null)
        {
            app.Settings[key + ":Type"] = "Syslog";
            app.Settings[key + ":Host"] = "127.0.0.1";
            app.Settings[key + ":Port"] = sink.Syslog.Port.ToString();
            app.Settings[key + ":Timeout"] = "00:00:05";
        }
        else
        {
            app.Settings[key + ":Type"] = "Webhook";
            app.Settings[key + ":Url"] = hook!.Url.ToString();
            app.Settings[key + ":Secret"] = Secret;
        }
        return app;
    }

    private static async Task RecordAsync(PanelAppFactory app, int count, string details)
    {
        await using var scope = app.Scope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        for (var i = 0; i < count; i++)
        {
            audit.Record(null, AuditActions.TokenCreated, "token", Guid.NewGuid().ToString(), $"{details} {i}");
        }
        await scope.ServiceProvider.GetRequiredService<PanelDbContext>().SaveChangesAsync();
    }

    private static Task StreamAsync(PanelAppFactory app) => app.Services.GetRequiredService<AuditStreamWorker>().StreamAsync(CancellationToken.None);

    private static Task<List<AuditEntry>> EntriesAsync(PanelAppFactory app) =>
        app.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    private static async Task<List<AuditSinkLine>> StatusAsync(PanelAppFactory app)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<AuditSinkStatus>().ReadAsync();
    }

    private static async Task<long> BacklogAsync(PanelAppFactory app, string sink) =>
        (await StatusAsync(app)).Single(l => l.Sink == sink).Backlog;

    private static long IdOf(string frame) => long.Parse(Regex.Match(frame, "\\[atp@32473 id=\"(\\d+)\"").Groups[1].Value);

    private static List<long> Ids(byte[] body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();

    [GeneratedRegex(@"^<(?<pri>\d+)>1 (?<time>\S+) (?<host>\S+) (?<app>\S+) (?<proc>\d+) (?<msgid>\S+) (?<sd>\[atp@32473[^\]]*(?:\\\][^\]]*)*\]) (?<msg>.*)$", RegexOptions.Singleline)]
    private static partial Regex Frame();
}

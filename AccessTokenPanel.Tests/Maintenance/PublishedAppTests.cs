using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AccessTokenPanel.Tests.Maintenance;

/// <summary>The framework-dependent publish (the slow part, <see cref="AppPublisher"/>), shared by the tests that start it.</summary>
public sealed class FrameworkDependentPublish : IAsyncLifetime
{
    public string Folder { get; private set; } = "";
    public TimeSpan Took { get; private set; }

    public async Task InitializeAsync() => (Folder, Took) = await AppPublisher.FrameworkDependentAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The deployable artefact: what `dotnet publish` makes starts with `dotnet AccessTokenPanel.Web.dll`
/// on a fresh database, serves the screens' script, answers readiness, backs up while serving, stops
/// cleanly on SIGTERM (the systemd unit's stop), and works behind deploy/accesstokenpanel-tls.nginx.conf.
/// Slow (a Release publish): run alone with --filter "Category=Publish", or leave out with "Category!=Publish".
/// </summary>
[Trait("Category", "Publish")]
public class PublishedAppTests(FrameworkDependentPublish publish, ITestOutputHelper output) : IClassFixture<FrameworkDependentPublish>
{
    [Fact]
    public async Task PublishedAppStartsOnAFreshDatabaseServesItsScreensBacksUpAndStopsCleanlyOnSigterm()
    {
        output.WriteLine($"dotnet publish (framework-dependent, {AppPublisher.Runtime}, Release): {publish.Took.TotalSeconds:F0} s");
        // Framework-dependent: the runtime is the server's, not in the folder.
        Assert.False(File.Exists(Path.Combine(publish.Folder, "libcoreclr.so")));
        Assert.DoesNotContain("includedFrameworks", await File.ReadAllTextAsync(Path.Combine(publish.Folder, "AccessTokenPanel.Web.runtimeconfig.json")));
        var (panel, setupLink) = await PublishedPanel.StartAsync(publish.Folder, "dotnet", Path.Combine(publish.Folder, "AccessTokenPanel.Web.dll"));
        await using (panel)
        {
            await AssertServesAsync(panel, setupLink);

            var backup = Path.Combine(panel.DataFolder, "backup.db");
            var (code, text) = await panel.RunAsync("dotnet", Path.Combine(publish.Folder, "AccessTokenPanel.Web.dll"), "backup", backup);
            Assert.True(code == 0, text);
            Assert.Contains("Backed up", text);

            Assert.Equal(0, await panel.StopWithSigtermAsync(TimeSpan.FromSeconds(45)));
            Assert.Contains("Application is shutting down", panel.Log);
        }
    }

    [NginxFact]
    public async Task BehindTheTlsSiteThePanelAnswersOverHttpsAndItsCircuitsGetAWebSocket()
    {
        var (panel, _) = await PublishedPanel.StartAsync(publish.Folder, "dotnet", Path.Combine(publish.Folder, "AccessTokenPanel.Web.dll"),
            // As the systemd unit sets them: nginx on this machine is believed.
            "--Hosting:TrustedProxies:0", "127.0.0.1");
        await using (panel)
        {
            var certificates = Directory.CreateTempSubdirectory("atp-tls-").FullName;
            using var certificate = SelfSignedCertificate(certificates);
            var (httpPort, httpsPort) = (LocalServer.FreePort(), LocalServer.FreePort());
            var site = await File.ReadAllTextAsync(Nginx.DeployFile("accesstokenpanel-tls.nginx.conf"));
            site = Substitute(site, "listen 80;", $"listen 127.0.0.1:{httpPort};");
            site = Substitute(site, "listen [::]:80;\n", "");
            site = Substitute(site, "listen 443 ssl;", $"listen 127.0.0.1:{httpsPort} ssl;");
            site = Substitute(site, "listen [::]:443 ssl;\n", "");
            site = Substitute(site, "server 127.0.0.1:5080;", $"server 127.0.0.1:{panel.BaseAddress.Port};");
            site = Substitute(site, "/etc/ssl/accesstokenpanel/fullchain.pem", Path.Combine(certificates, "fullchain.pem"));
            site = Substitute(site, "/etc/ssl/accesstokenpanel/privkey.pem", Path.Combine(certificates, "privkey.pem"));
            await using var nginx = await Nginx.StartSiteAsync(site, new Uri($"https://127.0.0.1:{httpsPort}/"));
            bool Trusted(object _, X509Certificate? presented, X509Chain? __, SslPolicyErrors ___) =>
                presented?.GetCertHashString() == certificate.GetCertHashString();
            using var https = new HttpClient(new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                SslOptions = { RemoteCertificateValidationCallback = Trusted },
            }) { BaseAddress = nginx.BaseAddress };

            var plain = await https.GetAsync($"http://127.0.0.1:{httpPort}/tokens");
            Assert.Equal(HttpStatusCode.MovedPermanently, plain.StatusCode);
            Assert.Equal("https", plain.Headers.Location?.Scheme);

            var ready = await https.GetAsync("/healthz/ready");
            Assert.True(ready.StatusCode == HttpStatusCode.OK, $"{ready.StatusCode} {await ready.Content.ReadAsStringAsync()}\n{nginx.ErrorLog}");
            // The panel saw HTTPS through X-Forwarded-Proto: its cookies are Secure.
            var signIn = await https.GetAsync("/account/login");
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), cookie => cookie.Contains("secure", StringComparison.OrdinalIgnoreCase));

            // A Blazor circuit's connection: negotiate, then the WebSocket upgrade through nginx, then SignalR's handshake.
            var negotiate = await https.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
            Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
            var connectionToken = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();
            using var socket = new ClientWebSocket();
            socket.Options.RemoteCertificateValidationCallback = Trusted;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{httpsPort}/_blazor?id={connectionToken}"), timeout.Token);
            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"blazorpack\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, timeout.Token);
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal("{}\u001e", Encoding.UTF8.GetString(buffer, 0, received.Count));
            Directory.Delete(certificates, recursive: true);
        }
    }

    /// <summary>The checks every published form must pass: readiness, the setup page, blazor.web.js.</summary>
    internal static async Task AssertServesAsync(PublishedPanel panel, Uri setupLink)
    {
        using var http = new HttpClient { BaseAddress = panel.BaseAddress };
        var ready = await http.GetAsync("/healthz/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"{ready.StatusCode} {await ready.Content.ReadAsStringAsync()}\n{panel.Log}");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live")).StatusCode);

        Assert.Equal(panel.BaseAddress.GetLeftPart(UriPartial.Authority), setupLink.GetLeftPart(UriPartial.Authority));
        var setup = await http.GetAsync(setupLink.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);

        // Served from the published wwwroot (no static web assets manifest exists there).
        var script = await http.GetAsync("/_framework/blazor.web.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 10_000);
        Assert.True(File.Exists(panel.DatabasePath));
    }

    private static string Substitute(string text, string from, string to)
    {
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"The site no longer has '{from.Trim()}': update this test with it.");
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSignedCertificate(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "fullchain.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "privkey.pem"), key.ExportPkcs8PrivateKeyPem());
        return certificate;
    }
}

/// <summary>A case that needs nginx: skipped, with the reason, where it is not installed.</summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public NginxFactAttribute()
    {
        if (Nginx.Path is null)
        {
            Skip = "nginx is not installed (apt-get install -y nginx; scripts/test.sh does).";
        }
    }
}

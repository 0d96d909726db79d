using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// A private nginx (Debian package) on a free loopback port, running the operator's config from
/// deploy/accesstokenpanel.nginx.conf with the test's instances as upstream servers (or another
/// deploy/ site, made ready by the test).
/// </summary>
public sealed partial class Nginx : IAsyncDisposable
{
    public const string SkipReason = "Multi-instance case skipped: nginx is not installed (apt-get install -y nginx; scripts/test.sh does).";

    private readonly string _folder;
    private readonly Process _process;

    public static string? Path { get; } = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);

    public Uri BaseAddress { get; }

    private Nginx(string folder, Process process, Uri baseAddress)
    {
        _folder = folder;
        _process = process;
        BaseAddress = baseAddress;
    }

    public static Task<Nginx> StartAsync(IReadOnlyList<Uri> instances)
    {
        var port = LocalServer.FreePort();
        var site = File.ReadAllText(DeployConfigPath());
        // Each upstream keeps its header and the parameters of its server lines (max_fails=...).
        site = UpstreamServers().Replace(site, m =>
        {
            var parameters = ServerParameters().Match(m.Value).Groups[1].Value;
            return m.Groups[1].Value + string.Concat(instances.Select(i => $"    server 127.0.0.1:{i.Port}{parameters};\n"));
        });
        site = ListenLine().Replace(site, $"listen 127.0.0.1:{port};");
        return StartSiteAsync(site, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Runs <paramref name="site"/> (a server-block file, with its ports already chosen) and waits for <paramref name="baseAddress"/>'s port.</summary>
    public static async Task<Nginx> StartSiteAsync(string site, Uri baseAddress)
    {
        var folder = Directory.CreateTempSubdirectory("atp-nginx-").FullName;
        // Workers run as nobody when started as root: they must write their temp folders.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        }
        var port = baseAddress.Port;
        await File.WriteAllTextAsync(System.IO.Path.Combine(folder, "site.conf"), site);
        await File.WriteAllTextAsync(System.IO.Path.Combine(folder, "nginx.conf"), $$"""
            daemon off;
            worker_processes 2;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/site.conf;
            }
            """);
        var process = Process.Start(new ProcessStartInfo(Path ?? throw new InvalidOperationException(SkipReason),
            ["-p", folder, "-c", System.IO.Path.Combine(folder, "nginx.conf"), "-e", System.IO.Path.Combine(folder, "error.log")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var nginx = new Nginx(folder, process, baseAddress);
        // Wait for the listener (or for nginx to give up on its config).
        await LocalServer.WaitForListenerAsync(process, port, async () => $"nginx exited: {await process.StandardError.ReadToEndAsync()} {nginx.ErrorLog}");
        return nginx;
    }

    public string ErrorLog
    {
        get
        {
            var path = System.IO.Path.Combine(_folder, "error.log");
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
    }

    public static string DeployConfigPath() => DeployFile("accesstokenpanel.nginx.conf");

    /// <summary>A file of the repository's deploy/ folder.</summary>
    public static string DeployFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "deploy", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"deploy/{name} not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync() => await LocalServer.StopAsync(_process, _folder);

    // The upstream's server lines (kept: the block header and directives such as ip_hash).
    [GeneratedRegex(@"(upstream \w+ \{\n(?:\s*(?:ip_hash|least_conn);\n)?)(?:\s*server [^\n]+;\n)+")]
    private static partial Regex UpstreamServers();

    // What follows the address on a server line, e.g. " max_fails=1 fail_timeout=1s".
    [GeneratedRegex(@"server \S+?((?: \w+(?:=\S+)?)*);")]
    private static partial Regex ServerParameters();

    [GeneratedRegex(@"listen \d+;")]
    private static partial Regex ListenLine();
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace AccessTokenPanel.Tests.Sso;

/// <summary>
/// A real OpenID Provider for a test: the npm package oidc-provider (installed by scripts/test.sh
/// with <c>npm ci</c> into Sso/provider) run by Node on a free loopback port, stopped on dispose.
/// Its development login page accepts any login, which becomes the user's subject.
/// </summary>
public sealed class OpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "panel";
    public const string ClientSecret = "a-client-secret-only-for-these-tests-0123456789";

    private Process? _process;

    private OpenIdProvider(int port) => Port = port;

    public int Port { get; }

    public string Issuer => $"http://127.0.0.1:{Port}";

    /// <summary>Reserves the port first: the panel needs the issuer before it starts, the provider the panel's redirect URI.</summary>
    public static OpenIdProvider ReservePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new OpenIdProvider(((IPEndPoint)listener.LocalEndpoint).Port);
    }

    /// <summary>Starts the provider for the panel at <paramref name="panel"/>, with these accounts' claims (subject → claims).</summary>
    public async Task StartAsync(Uri panel, IReadOnlyDictionary<string, object> accounts)
    {
        var folder = Path.Combine(RepositoryRoot(), "AccessTokenPanel.Tests", "Sso", "provider");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException(
                $"oidc-provider is not installed in {folder}: run scripts/test.sh (it runs npm ci), or npm ci --prefix AccessTokenPanel.Tests/Sso/provider.");
        }
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("provider.mjs");
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(new Uri(panel, "/account/sso/callback").ToString());
        start.ArgumentList.Add(ClientSecret);
        start.Environment["SSO_ACCOUNTS"] = JsonSerializer.Serialize(accounts);
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var listening = new TaskCompletionSource();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("listening", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        var errors = new System.Text.StringBuilder();
        _process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(30))) != listening.Task)
        {
            throw new InvalidOperationException($"The OpenID Provider did not start: {errors}");
        }
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AccessTokenPanel.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("The repository (AccessTokenPanel.sln) is not above the test binaries.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
    }
}

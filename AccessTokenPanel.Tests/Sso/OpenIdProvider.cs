using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
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
    private readonly System.Text.StringBuilder _errors = new();

    /// <summary>What the provider wrote to its error output (its server and back-channel errors), for a failing test's message.</summary>
    public string ErrorOutput
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    private OpenIdProvider(int port) => Port = port;

    public int Port { get; }

    public string Issuer => $"http://127.0.0.1:{Port}";

    /// <summary>The provider's signing key: tests sign logout tokens with it as the provider would.</summary>
    public RSA SigningKey { get; } = RSA.Create(2048);

    public const string SigningKeyId = "test-provider-key";

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
        start.ArgumentList.Add(new Uri(panel, "/account/sso/backchannel-logout").ToString());
        start.Environment["SSO_ACCOUNTS"] = JsonSerializer.Serialize(accounts);
        start.Environment["SSO_SIGNING_JWK"] = PrivateJwk();
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var listening = new TaskCompletionSource();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("listening", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        var errors = _errors;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(30))) != listening.Task)
        {
            throw new InvalidOperationException($"The OpenID Provider did not start: {errors}");
        }
    }

    private string PrivateJwk()
    {
        var key = SigningKey.ExportParameters(includePrivateParameters: true);
        static string B(byte[]? bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(bytes);
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["kid"] = SigningKeyId, ["use"] = "sig", ["alg"] = "RS256",
            ["n"] = B(key.Modulus), ["e"] = B(key.Exponent), ["d"] = B(key.D), ["p"] = B(key.P), ["q"] = B(key.Q),
            ["dp"] = B(key.DP), ["dq"] = B(key.DQ), ["qi"] = B(key.InverseQ),
        });
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
        SigningKey.Dispose();
    }
}

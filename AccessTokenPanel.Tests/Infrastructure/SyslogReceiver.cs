using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// A real syslog server on a loopback TCP port: reads RFC 6587 octet-counted frames
/// (<c>LENGTH SP MESSAGE</c>) and keeps each message. It can be stopped and started again on the
/// same port, as a server that goes down and comes back.
/// </summary>
public sealed class SyslogReceiver : IAsyncDisposable
{
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;
    private X509Certificate2? _certificate;

    public ConcurrentQueue<string> Messages { get; } = new();

    public int Port { get; private set; }

    /// <param name="certificate">With a certificate (and its key), the server speaks TLS (RFC 5425).</param>
    public static SyslogReceiver Start(X509Certificate2? certificate = null)
    {
        var receiver = new SyslogReceiver { _certificate = certificate };
        receiver.Listen(0);
        return receiver;
    }

    /// <summary>Errors of TLS handshakes the server refused or that failed, for tests to look at.</summary>
    public ConcurrentQueue<string> HandshakeErrors { get; } = new();

    /// <summary>A port that was free a moment ago and nothing listens on now: a server that is down.</summary>
    public static SyslogReceiver Down()
    {
        var receiver = Start();
        receiver.StopAsync().GetAwaiter().GetResult();
        return receiver;
    }

    public void Restart() => Listen(Port);

    private void Listen(int port)
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_listener, _stop.Token);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Waits (polling, bounded) until at least <paramref name="count"/> messages arrived.</summary>
    public async Task<string[]> WaitForAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (Messages.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        return Messages.ToArray();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        var connections = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop);
            connections.Add(ReadAsync(client, stop));
        }
        await Task.WhenAll(connections);
    }

    private async Task ReadAsync(TcpClient client, CancellationToken stop)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        if (_certificate is not null)
        {
            var tls = new SslStream(stream);
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, stop);
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
            {
                HandshakeErrors.Enqueue(ex.Message);
                return;
            }
            stream = tls;
        }
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, stop)) > 0)
            {
                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
                while (TryTakeFrame(buffer, out var message))
                {
                    Messages.Enqueue(message);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
    }

    private static bool TryTakeFrame(List<byte> buffer, out string message)
    {
        message = "";
        var space = buffer.IndexOf((byte)' ');
        if (space <= 0)
        {
            return false;
        }
        var length = int.Parse(Encoding.ASCII.GetString(buffer.GetRange(0, space).ToArray()));
        if (buffer.Count < space + 1 + length)
        {
            return false;
        }
        message = Encoding.UTF8.GetString(buffer.GetRange(space + 1, length).ToArray());
        buffer.RemoveRange(0, space + 1 + length);
        return true;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

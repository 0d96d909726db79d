using System.Diagnostics;
using System.Net.Sockets;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>What the tests' own servers (nginx, the SMTP sink) share: a free loopback port, and waiting until one listens.</summary>
public static class LocalServer
{
    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits (up to 30 s) until <paramref name="port"/> accepts connections, or throws when the process exits first.</summary>
    public static async Task WaitForListenerAsync(Process process, int port, Func<Task<string>> whyItExited)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(await whyItExited());
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}

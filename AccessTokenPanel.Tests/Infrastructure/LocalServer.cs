using System.Diagnostics;
using System.Net.Sockets;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>What the tests' own servers (nginx, the SMTP sink) share: a free loopback port, waiting until one listens, and stopping it.</summary>
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

    /// <summary>Stops the server's process (and its children) and removes its temp folder.</summary>
    public static async Task StopAsync(Process process, string folder)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

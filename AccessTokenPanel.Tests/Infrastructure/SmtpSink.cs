using System.Diagnostics;
using MimeKit;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// A real SMTP server for a test: Debian's python3-aiosmtpd on a free loopback port, storing every
/// message it accepts in a Maildir that the test reads back with MimeKit.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";
    public const string SkipReason = "python3-aiosmtpd is not installed (apt-get install -y python3-aiosmtpd; scripts/test.sh does).";

    private readonly string _folder;
    private readonly Process _process;

    private SmtpSink(string folder, Process process, int port)
    {
        _folder = folder;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static bool IsAvailable { get; } = File.Exists(Python)
        && Directory.EnumerateDirectories("/usr/lib/python3/dist-packages", "aiosmtpd").Any();

    public static async Task<SmtpSink> StartAsync()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException(SkipReason);
        }
        var folder = Directory.CreateTempSubdirectory("atp-smtp-").FullName;
        var port = LocalServer.FreePort();
        var process = Process.Start(new ProcessStartInfo(Python,
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", Path.Combine(folder, "mail")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var sink = new SmtpSink(folder, process, port);
        await LocalServer.WaitForListenerAsync(process, port, async () => $"aiosmtpd exited: {await process.StandardError.ReadToEndAsync()}");
        return sink;
    }

    /// <summary>The messages received so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var inbox = Path.Combine(_folder, "mail", "new");
        return Directory.Exists(inbox)
            ? Directory.GetFiles(inbox).Select(f => (File: f, Time: File.GetLastWriteTimeUtc(f)))
                .OrderBy(f => f.Time).ThenBy(f => f.File).Select(f => MimeMessage.Load(f.File)).ToList()
            : [];
    }

    public async ValueTask DisposeAsync() => await LocalServer.StopAsync(_process, _folder);
}

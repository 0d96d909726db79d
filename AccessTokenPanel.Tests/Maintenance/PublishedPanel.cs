using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using AccessTokenPanel.Tests.Infrastructure;

namespace AccessTokenPanel.Tests.Maintenance;

/// <summary>
/// The app as an operator runs it: <c>dotnet publish</c> output started in a process of its own,
/// in Production, on a free loopback port, with a fresh SQLite database in a temp folder.
/// </summary>
public sealed partial class PublishedPanel : IAsyncDisposable
{
    // Publishing and a first start on a loaded 2-core machine take minutes, not seconds.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _setupLink = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PublishedPanel(Process process, string dataFolder, Uri baseAddress)
    {
        _process = process;
        DataFolder = dataFolder;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public string DataFolder { get; }
    public string DatabasePath => Path.Combine(DataFolder, "accesstokenpanel.db");

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="command"/> (dotnet, or a self-contained app's own executable) and waits for the setup link in its log.</summary>
    public static async Task<(PublishedPanel Panel, Uri SetupLink)> StartAsync(string publishFolder, string command, params string[] arguments)
    {
        var dataFolder = Directory.CreateTempSubdirectory("atp-published-data-").FullName;
        var address = new Uri($"http://127.0.0.1:{LocalServer.FreePort()}");
        var start = Command(publishFolder, dataFolder, command, [.. arguments, "--urls", address.ToString()]);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var panel = new PublishedPanel(process, dataFolder, address);
        process.OutputDataReceived += (_, e) => panel.Received(e.Data);
        process.ErrorDataReceived += (_, e) => panel.Received(e.Data);
        process.Exited += (_, _) => panel._setupLink.TrySetException(new InvalidOperationException($"The app exited ({process.ExitCode}) before it printed a setup link:\n{panel.Log}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var link = await panel._setupLink.Task.WaitAsync(StartTimeout);
            return (panel, link);
        }
        catch
        {
            await panel.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs another command of the published app (<c>backup</c>, <c>restore</c>) with the panel's
    /// configuration and returns its exit code and output.
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string command, params string[] arguments)
    {
        var start = Command(_process.StartInfo.WorkingDirectory, DataFolder, command, arguments);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>What systemd does on <c>systemctl stop</c> (KillSignal=SIGTERM): returns the exit code, or throws after <paramref name="timeout"/>.</summary>
    public async Task<int> StopWithSigtermAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
        if (SetupLink().Match(line) is { Success: true } match)
        {
            _setupLink.TrySetResult(new Uri(match.Value));
        }
    }

    private static ProcessStartInfo Command(string publishFolder, string dataFolder, string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command)
        {
            // The content root, as the systemd unit's WorkingDirectory makes it.
            WorkingDirectory = publishFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Nothing of the test host's own settings leaks in (it runs as Testing).
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
            || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal) || k.StartsWith("Database__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "accesstokenpanel.db")}";
        return start;
    }

    [GeneratedRegex(@"https?://\S+/account/setup\?code=[^\s)]+")]
    private static partial Regex SetupLink();
}

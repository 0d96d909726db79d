using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AccessTokenPanel.Tests.Maintenance;

/// <summary>deploy/accesstokenpanel.service, checked by systemd's own tools (this machine runs no systemd to start it).</summary>
[SupportedOSPlatform("linux")]
public partial class SystemdUnitTests
{
    private static readonly string Unit = File.ReadAllText(Nginx.DeployFile("accesstokenpanel.service"));

    [Fact]
    public async Task UnitPassesSystemdAnalyzeVerifyWithoutAWarning()
    {
        var folder = Directory.CreateTempSubdirectory("atp-systemd-").FullName;
        try
        {
            // verify checks that ExecStart's program exists: a stand-in for /usr/bin/dotnet, so the
            // check does not depend on where this machine's dotnet lives.
            var program = Path.Combine(folder, "dotnet");
            await File.WriteAllTextAsync(program, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(program, (UnixFileMode)0b111_101_101);
            var unit = Path.Combine(folder, "accesstokenpanel.service");
            Assert.Contains("ExecStart=/usr/bin/dotnet ", Unit);
            await File.WriteAllTextAsync(unit, Unit.Replace("ExecStart=/usr/bin/dotnet ", $"ExecStart={program} ", StringComparison.Ordinal));

            var (code, text) = await SystemdAnalyzeAsync("verify", unit);

            // verify exits 0 on unknown keys and unparsable values: it only prints them.
            Assert.True(code == 0 && text.Length == 0, $"systemd-analyze verify ({code}):\n{text}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task UnitExposesLittleBySystemdsOwnMeasure()
    {
        var folder = Directory.CreateTempSubdirectory("atp-systemd-").FullName;
        try
        {
            var unit = Path.Combine(folder, "accesstokenpanel.service");
            await File.WriteAllTextAsync(unit, Unit);

            var (code, text) = await SystemdAnalyzeAsync("security", "--offline=true", unit);

            Assert.True(code == 0, text);
            var level = double.Parse(ExposureLevel().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
            // 0 is sealed, 10 is unprotected; "OK" ends at 2.9. The unit scores 1.7.
            Assert.True(level <= 2.0, $"exposure {level}:\n{text}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void UnitRunsAsItsOwnUserWritesOnlyItsDataFolderAndStopsGracefully()
    {
        Assert.Equal("accesstokenpanel", Setting("User"));
        Assert.Equal("strict", Setting("ProtectSystem"));
        Assert.Equal("yes", Setting("NoNewPrivileges"));
        Assert.Equal("yes", Setting("PrivateTmp"));
        Assert.Equal("on-failure", Setting("Restart"));
        Assert.Equal("SIGTERM", Setting("KillSignal"));
        // Longer than ASP.NET Core's own 30 s shutdown timeout, so requests finish and usage is flushed before any SIGKILL.
        Assert.True(int.Parse(Setting("TimeoutStopSec").TrimEnd('s'), CultureInfo.InvariantCulture) > 30);

        // The database lives in the one writable folder (and it is the StateDirectory systemd creates for the user).
        var writable = Setting("ReadWritePaths");
        Assert.Equal($"/var/lib/{Setting("StateDirectory")}", writable);
        var connectionString = Regex.Match(Unit, "^Environment=\"Database__ConnectionString=(.+)\"$", RegexOptions.Multiline).Groups[1].Value;
        var database = new SqliteConnectionStringBuilder(connectionString).DataSource;
        Assert.Equal(writable, Path.GetDirectoryName(database));
    }

    private static string Setting(string key)
    {
        var matches = Regex.Matches(Unit, $"^{key}=(.*)$", RegexOptions.Multiline);
        return Assert.Single(matches).Groups[1].Value.Trim();
    }

    private static async Task<(int ExitCode, string Output)> SystemdAnalyzeAsync(params string[] arguments)
    {
        var path = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        Assert.True(path is not null, "systemd-analyze is not installed (apt-get install -y systemd; scripts/test.sh does).");
        using var process = Process.Start(new ProcessStartInfo(path, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, (await output + await error).Trim());
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d)")]
    private static partial Regex ExposureLevel();
}

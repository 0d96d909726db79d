using System.Diagnostics;

namespace AccessTokenPanel.Tests.Maintenance;

/// <summary><c>dotnet publish AccessTokenPanel.Web -c Release</c> into a temp folder, timed.</summary>
public static class AppPublisher
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Publishes (with <paramref name="extraArguments"/>, e.g. a runtime) and returns the folder and how long it took.</summary>
    public static async Task<(string Folder, TimeSpan Took)> PublishAsync(string folder, params string[] extraArguments)
    {
        var output = Path.Combine(folder, "app");
        var start = SdkCommand([
            "publish", Path.Combine(RepositoryRoot, "AccessTokenPanel.Web", "AccessTokenPanel.Web.csproj"),
            "-c", "Release", "-o", output,
            // Its own obj and bin: the working tree's build output (which this test run uses) stays as it is.
            "--artifacts-path", Path.Combine(folder, "artifacts"),
            "-nologo",
            .. extraArguments]);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(20));
        Assert.True(process.ExitCode == 0, $"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        return (output, clock.Elapsed);
    }

    /// <summary>A <c>dotnet</c> SDK command run from the repository root, its output redirected.</summary>
    public static ProcessStartInfo SdkCommand(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // `dotnet test` hands its MSBuild settings to child processes; an SDK command of its own needs none of them.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        return start;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AccessTokenPanel.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("AccessTokenPanel.sln not found above " + AppContext.BaseDirectory);
    }
}

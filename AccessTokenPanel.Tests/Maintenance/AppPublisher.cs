using System.Diagnostics;

namespace AccessTokenPanel.Tests.Maintenance;

/// <summary>
/// The two Release publishes the tests start, for this machine's runtime (linux-x64 here), made once
/// per run and kept until the test process ends: framework-dependent, then self-contained. Both come
/// from one restore (with the runtime pack) and one artifacts folder, so the self-contained publish
/// reuses the framework-dependent one's build and only adds the runtime (about 3 s instead of a
/// second 50-90 s compile: restored apart, the runtime pack changes the assets file and everything
/// compiles again).
/// </summary>
public static class AppPublisher
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>linux-x64 here: the portable name, not the distribution's (RuntimeInformation.RuntimeIdentifier may be debian.12-x64).</summary>
    public static string Runtime { get; } = $"linux-{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";

    private static readonly Lazy<string> Root = new(() =>
    {
        var root = Directory.CreateTempSubdirectory("atp-publish-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return root;
    });

    private static readonly Lazy<Task<(string Folder, TimeSpan Took)>> FrameworkDependentPublish = new(async () =>
    {
        await RunAsync(["restore", ProjectPath, "--artifacts-path", Artifacts, "-r", Runtime, "-p:SelfContained=true", "-nologo"]);
        return await PublishAsync("framework-dependent", "--self-contained", "false");
    });

    private static readonly Lazy<Task<(string Folder, TimeSpan Took)>> SelfContainedPublish = new(async () =>
    {
        try
        {
            await FrameworkDependentPublish.Value;
        }
        catch (Exception)
        {
            // Its own test reports that failure; this publish still tries (and fails too when the restore did).
        }
        return await PublishAsync("self-contained", "--self-contained");
    });

    private static string ProjectPath => Path.Combine(RepositoryRoot, "AccessTokenPanel.Web", "AccessTokenPanel.Web.csproj");

    // Its own obj and bin: the working tree's build output (which this test run uses) stays as it is.
    private static string Artifacts => Path.Combine(Root.Value, "artifacts");

    /// <summary><c>dotnet publish AccessTokenPanel.Web -c Release -r linux-x64 --self-contained false</c>: the folder and how long the publish took.</summary>
    public static Task<(string Folder, TimeSpan Took)> FrameworkDependentAsync() => FrameworkDependentPublish.Value;

    /// <summary><c>dotnet publish AccessTokenPanel.Web -c Release -r linux-x64 --self-contained</c>: the folder and how long the publish took.</summary>
    public static Task<(string Folder, TimeSpan Took)> SelfContainedAsync() => SelfContainedPublish.Value;

    private static async Task<(string Folder, TimeSpan Took)> PublishAsync(string name, params string[] extraArguments)
    {
        var output = Path.Combine(Root.Value, name);
        var clock = Stopwatch.StartNew();
        // Without the analyzers (RunAnalyzers=false): they only report, the compiled app is the same,
        // and they were about a fifth of the compile's CPU (54 against 44 CPU-seconds here). The
        // working tree's own build still runs them.
        await RunAsync(["publish", ProjectPath, "-c", "Release", "-r", Runtime, "-o", output, "--artifacts-path", Artifacts, "--no-restore", "-nologo",
            "-p:RunAnalyzers=false", .. extraArguments]);
        return (output, clock.Elapsed);
    }

    private static async Task RunAsync(string[] arguments)
    {
        using var process = Process.Start(SdkCommand(arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(20));
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
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

using System.Diagnostics;
using System.Text.Json;

namespace AccessTokenPanel.Tests.Maintenance;

/// <summary>
/// The SDK's container settings in AccessTokenPanel.Web.csproj, as the SDK itself computes them
/// (its ComputeContainerConfig target, which needs no registry). No image is built: this machine
/// reaches no container registry to pull the base image from.
/// </summary>
public class ContainerImageConfigTests
{
    [Fact]
    public async Task ImageWouldRunAsANonRootUserListeningOnItsDeclaredPortWithTheDatabaseInItsHome()
    {
        var config = await ComputeAsync();
        var properties = config.GetProperty("Properties");
        var items = config.GetProperty("Items");
        string Property(string name) => properties.GetProperty(name).GetString()!;
        Dictionary<string, string> Items(string name) => items.GetProperty(name).EnumerateArray()
            .ToDictionary(i => i.GetProperty("Identity").GetString()!, i => i.TryGetProperty("Value", out var v) ? v.GetString()! : i.GetProperty("Type").GetString()!);

        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", Property("ContainerBaseImage"));
        Assert.Equal("accesstokenpanel", Property("ContainerRepository"));
        // The base image's own non-root user; a name, so the image never falls back to root.
        Assert.Equal("app", Property("ContainerUser"));
        Assert.Equal(new Dictionary<string, string> { ["8080"] = "tcp" }, Items("ContainerPort"));
        var environment = Items("ContainerEnvironmentVariables");
        Assert.Equal("http://+:8080", environment["Urls"]);
        Assert.StartsWith("Data Source=/home/app/", environment["Database__ConnectionString"]);
        Assert.Equal("AccessTokenPanel", Items("ContainerLabel")["org.opencontainers.image.title"]);
    }

    private static async Task<JsonElement> ComputeAsync()
    {
        var start = AppPublisher.SdkCommand([
            "msbuild", Path.Combine(AppPublisher.RepositoryRoot, "AccessTokenPanel.Web", "AccessTokenPanel.Web.csproj"),
            "-t:ComputeContainerConfig", "-p:Configuration=Release", "-nologo",
            "-getProperty:ContainerBaseImage", "-getProperty:ContainerRepository", "-getProperty:ContainerUser",
            "-getItem:ContainerPort", "-getItem:ContainerEnvironmentVariables", "-getItem:ContainerLabel"]);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(process.ExitCode == 0, $"{await output}\n{await error}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}

using Xunit.Abstractions;

namespace AccessTokenPanel.Tests.Maintenance;

/// <summary>
/// The self-contained artefact (`-r linux-x64 --self-contained`: no .NET installed on the server),
/// started through its own executable. Published after the framework-dependent one, from its build
/// (<see cref="AppPublisher"/>).
/// </summary>
[Trait("Category", "Publish")]
public class SelfContainedPublishTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SelfContainedPublishStartsThroughItsOwnExecutableAndServesItsScreens()
    {
        var (app, took) = await AppPublisher.SelfContainedAsync();
        output.WriteLine($"dotnet publish (self-contained, {AppPublisher.Runtime}, Release, after the framework-dependent one): {took.TotalSeconds:F0} s");
        Assert.True(File.Exists(Path.Combine(app, "libcoreclr.so")), "the runtime is in the folder");
        Assert.Contains("includedFrameworks", await File.ReadAllTextAsync(Path.Combine(app, "AccessTokenPanel.Web.runtimeconfig.json")));

        var (panel, setupLink) = await PublishedPanel.StartAsync(app, Path.Combine(app, "AccessTokenPanel.Web"));
        await using (panel)
        {
            await PublishedAppTests.AssertServesAsync(panel, setupLink);
            Assert.Equal(0, await panel.StopWithSigtermAsync(TimeSpan.FromSeconds(45)));
        }
    }
}

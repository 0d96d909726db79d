using System.Runtime.InteropServices;
using Xunit.Abstractions;

namespace AccessTokenPanel.Tests.Maintenance;

/// <summary>
/// The self-contained artefact (`-r linux-x64 --self-contained`: no .NET installed on the server),
/// started through its own executable. A second Release publish, for a runtime of its own.
/// </summary>
[Trait("Category", "Publish")]
public class SelfContainedPublishTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SelfContainedPublishStartsThroughItsOwnExecutableAndServesItsScreens()
    {
        var folder = Directory.CreateTempSubdirectory("atp-publish-sc-").FullName;
        try
        {
            // linux-x64 here; the portable name, not the distribution's (RuntimeInformation.RuntimeIdentifier may be debian.12-x64).
            var runtime = $"linux-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
            var (app, took) = await AppPublisher.PublishAsync(folder, "-r", runtime, "--self-contained");
            output.WriteLine($"dotnet publish (self-contained, {runtime}, Release): {took.TotalSeconds:F0} s");
            Assert.True(File.Exists(Path.Combine(app, "libcoreclr.so")), "the runtime is in the folder");

            var (panel, setupLink) = await PublishedPanel.StartAsync(app, Path.Combine(app, "AccessTokenPanel.Web"));
            await using (panel)
            {
                await PublishedAppTests.AssertServesAsync(panel, setupLink);
                Assert.Equal(0, await panel.StopWithSigtermAsync(TimeSpan.FromSeconds(45)));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace AccessTokenPanel.Web.Hosting;

internal static class OperatorSettings
{
    /// <summary>
    /// The operator's settings file is the repository root's appsettings.json, copied next to the
    /// app at build. <c>dotnet run</c> makes the project folder the content root, where there is no
    /// appsettings.json, so the copy beside the binaries takes its place (same precedence: below
    /// environment variables and the command line).
    /// </summary>
    public static void AddOperatorSettingsFile(this ConfigurationManager configuration, IHostEnvironment environment)
    {
        if (File.Exists(Path.Combine(environment.ContentRootPath, "appsettings.json")))
        {
            return;
        }
        var sources = configuration.Sources;
        var index = sources.ToList().FindIndex(s => s is JsonConfigurationSource { Path: "appsettings.json" });
        var source = new JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        };
        if (index < 0)
        {
            sources.Insert(0, source);
        }
        else
        {
            sources[index] = source;
        }
    }
}

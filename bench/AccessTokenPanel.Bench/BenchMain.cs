using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AccessTokenPanel.Bench;

internal static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "serve":
            {
                // For wrk: serve the app on a loopback port and print what the load script needs.
                var port = args.Length > 1 ? int.Parse(args[1]) : 5192;
                await using var app = new BenchApp();
                app.UseKestrel(port);
                app.StartServer();
                await app.SeedAsync();
                Console.WriteLine($"TOKEN={app.RestSecret}");
                Console.WriteLine($"READY http://127.0.0.1:{port}");
                // Runs until standard input closes (the load script holds it open), then cleans up its temp database.
                await Console.In.ReadToEndAsync();
                break;
            }
            case "validate":
                // In-process toolchain: no separate build of a generated project.
                BenchmarkRunner.Run<ValidationBenchmarks>(DefaultConfig.Instance
                    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(20)), args.Skip(1).ToArray());
                break;
            case "tokens-page":
                // bench: tokens-page [port] [timing runs] [open pages]
                await TokensPageBench.RunAsync(
                    args.Length > 1 ? int.Parse(args[1]) : 5193,
                    args.Length > 2 ? int.Parse(args[2]) : 6,
                    args.Length > 3 ? int.Parse(args[3]) : 50);
                break;
            default:
                Console.Error.WriteLine("usage: AccessTokenPanel.Bench serve [port] | validate | tokens-page [port] [runs] [open pages]");
                return 2;
        }
        return 0;
    }
}

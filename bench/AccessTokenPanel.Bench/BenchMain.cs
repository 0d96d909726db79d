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
                var provider = args.Length > 2 ? args[2] : "Sqlite";
                var connection = args.Length > 3 ? args[3] : null;
                await using var app = new BenchApp(provider, connection);
                app.UseKestrel(port);
                app.StartServer();
                await app.SeedAsync();
                Console.WriteLine($"TOKEN={app.RestSecret}");
                Console.WriteLine($"TOKEN_ID={app.RestTokenId}");
                Console.WriteLine($"OWNER={app.OwnerId}");
                Console.WriteLine($"JWT={app.Jwt}");
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
            case "lists":
                // Server time of the list pages over 100,000 tokens and 2,000 users (and 100,000 audit entries).
                return await ListBenchmarks.RunAsync(args.Length > 1 ? args[1] : "Sqlite", args.Length > 2 ? args[2] : null);
            case "tokens-page":
                // bench: tokens-page [port] [timing runs] [open pages]
                await TokensPageBench.RunAsync(
                    args.Length > 1 ? int.Parse(args[1]) : 5193,
                    args.Length > 2 ? int.Parse(args[2]) : 6,
                    args.Length > 3 ? int.Parse(args[3]) : 50);
                break;
            default:
                Console.Error.WriteLine("usage: AccessTokenPanel.Bench serve [port] [Sqlite|PostgreSql] [connection] | validate | lists [Sqlite|PostgreSql] [connection] | tokens-page [port] [runs] [open pages]");
                return 2;
        }
        return 0;
    }
}

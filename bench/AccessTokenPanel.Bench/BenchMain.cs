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
                // The busy variant: ATP_BENCH_WRITERS=8 issue and revoke tokens during the load, and
                // ATP_BENCH_FLUSH=00:00:01 runs the usage flush every second instead of every 15 s.
                var writerCount = int.TryParse(Environment.GetEnvironmentVariable("ATP_BENCH_WRITERS"), out var w) ? w : 0;
                var flush = TimeSpan.TryParse(Environment.GetEnvironmentVariable("ATP_BENCH_FLUSH"), out var f) ? f : (TimeSpan?)null;
                await using var app = new BenchApp(provider, connection, flush);
                app.UseKestrel(port);
                app.StartServer();
                await app.SeedAsync();
                await using var writers = writerCount > 0 ? await BenchWriters.StartAsync(app.Services, writerCount) : null;
                Console.WriteLine($"TOKEN={app.RestSecret}");
                Console.WriteLine($"TOKEN_ID={app.RestTokenId}");
                Console.WriteLine($"OWNER={app.OwnerId}");
                Console.WriteLine($"JWT={app.Jwt}");
                Console.WriteLine($"READY http://127.0.0.1:{port}");
                // Runs until standard input closes (the load script holds it open), then cleans up its temp database.
                await Console.In.ReadToEndAsync();
                if (writers is not null)
                {
                    Console.WriteLine($"WRITES issued={writers.Issued} revoked={writers.Revoked}");
                }
                break;
            }
            case "validate":
                // In-process toolchain: no separate build of a generated project.
                BenchmarkRunner.Run<ValidationBenchmarks>(DefaultConfig.Instance
                    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(20)), args.Skip(1).ToArray());
                break;
            case "validate-parts":
                BenchmarkRunner.Run<ValidationPartsBenchmarks>(DefaultConfig.Instance
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
                Console.Error.WriteLine("usage: AccessTokenPanel.Bench serve [port] [Sqlite|PostgreSql] [connection] | validate | validate-parts | lists [Sqlite|PostgreSql] [connection] | tokens-page [port] [runs] [open pages]");
                return 2;
        }
        return 0;
    }
}

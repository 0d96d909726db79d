using System.Diagnostics;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Components.Pages.Overview;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Bench;

/// <summary>
/// What a large database costs beside its list pages (issue 22 item 2): the tokens copied up to the
/// asked number in SQL, the database's size per token, the token check on it, a second instance's
/// start-up on it, and the last migrations run on it.
/// </summary>
internal static class ScaleMeasures
{
    private const int Validations = 2_000;
    private const int MigrationsTimed = 3;

    private static bool IsPostgres(PanelDbContext db) => db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// Adds <paramref name="copies"/> copies of every token seeded so far, in the database (one
    /// INSERT ... SELECT each: seeding a million rows through EF Core would take most of the bench's
    /// time). A copy keeps its original's owner, API, dates and state; its id is the original's with
    /// the copy's number as first 8 hex digits (seeded ids are version 7, whose first digits are the
    /// time: never 0000), its secret hash is new and its name ends in " #copy". Every stored column of
    /// the model is copied, so a column added later is copied too.
    /// </summary>
    public static async Task CopyTokensAsync(IServiceProvider services, int copies)
    {
        if (copies == 0)
        {
            return;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var postgres = IsPostgres(db);
        var entity = db.Model.FindEntityType(typeof(AccessToken))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => p.GetComputedColumnSql() is null).Select(p => p.GetColumnName(table)!).ToList();
        var before = await TokenBytesAsync(db);
        var original = postgres ? "\"Id\"::text NOT LIKE '0000%'" : "\"Id\" NOT LIKE '0000%'";
        for (var copy = 1; copy <= copies; copy++)
        {
            var value = (string column) => column switch
            {
                "Id" => postgres ? $"overlay(\"Id\"::text placing '{copy:x8}' from 1 for 8)::uuid" : $"'{copy:X8}' || substr(\"Id\", 9)",
                "SecretHash" => postgres ? $"sha256(\"SecretHash\" || int4send({copy}))" : "randomblob(32)",
                "Name" => $"\"Name\" || ' #{copy}'",
                _ => $"\"{column}\"",
            };
            // Built from the model's column names and the copy's number only: nothing from outside.
            var sql = $"INSERT INTO \"AccessTokens\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) "
                + $"SELECT {string.Join(", ", columns.Select(value))} FROM \"AccessTokens\" WHERE {original}";
            await db.Database.ExecuteSqlRawAsync(sql);
        }
        var rows = await db.AccessTokens.CountAsync();
        _bytesPerCopiedToken = (await TokenBytesAsync(db) - before) / (double)(rows - rows / (copies + 1));
    }

    private static double? _bytesPerCopiedToken;

    /// <summary>
    /// PostgreSQL: the token table with its indexes and TOAST. SQLite's bundled build has no dbstat to
    /// tell one table's pages, so there it is the whole file (the copies add only tokens to it).
    /// </summary>
    private static async Task<long> TokenBytesAsync(PanelDbContext db)
    {
        if (IsPostgres(db))
        {
            return await Scalar(db, "SELECT pg_total_relation_size('\"AccessTokens\"') AS \"Value\"");
        }
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        return await Scalar(db, "SELECT page_count * page_size AS \"Value\" FROM pragma_page_count(), pragma_page_size()");
    }

    /// <summary>Prints the size, the token check, a start-up and the last migrations, as table rows.</summary>
    public static async Task RunAsync(BenchApp app, string tokenOwner, int tokens)
    {
        Console.WriteLine();
        Console.WriteLine($"| scale ({app.Provider}, {tokens:N0} tokens) | value |");
        Console.WriteLine("|---|---|");
        await SizeAsync(app.Services, tokens);
        await TokenCheckAsync(app.Services, tokenOwner);
        await EstateCountAsync(app.Services);
        await StartUpAsync(app);
        await MigrationsAsync(app.Services);
    }

    private static async Task SizeAsync(IServiceProvider services, int tokens)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        if (IsPostgres(db))
        {
            var table = await TokenBytesAsync(db);
            Console.WriteLine($"| database size | {await Scalar(db, "SELECT pg_database_size(current_database()) AS \"Value\"") / 1048576.0:F0} MiB |");
            Console.WriteLine($"| AccessTokens with its indexes | {table / 1048576.0:F0} MiB, {table / (double)tokens:F0} bytes per token |");
        }
        else
        {
            Console.WriteLine($"| database size | {await TokenBytesAsync(db) / 1048576.0:F0} MiB |");
        }
        if (_bytesPerCopiedToken is { } perToken)
        {
            Console.WriteLine($"| growth per token added (table and indexes) | {perToken:F0} bytes |");
        }
    }

    // EF Core's scalar query: the statement names its one column Value.
    private static Task<long> Scalar(PanelDbContext db, string sql) => db.Database.SqlQueryRaw<long>(sql).SingleAsync();

    /// <summary>A REST token issued now among the seeded ones, checked as the bearer handler does (validation and the owner's permissions), each in a fresh scope.</summary>
    private static async Task TokenCheckAsync(IServiceProvider services, string ownerId)
    {
        string secret;
        await using (var scope = services.CreateAsyncScope())
        {
            var issued = await scope.ServiceProvider.GetRequiredService<TokenIssuer>()
                .IssueAsync(new IssueTokenRequest(ownerId, "scale check", ApiType.Rest, null, TokenExpiry.InDays(30)));
            secret = issued.Secret ?? throw new InvalidOperationException(issued.ToString());
        }
        var times = new List<double>(Validations);
        for (var i = 0; i < 200 + Validations; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var started = Stopwatch.GetTimestamp();
            var result = await scope.ServiceProvider.GetRequiredService<TokenValidator>().ValidateAsync(secret, ApiType.Rest);
            if (!result.IsValid)
            {
                throw new InvalidOperationException(result.Description);
            }
            if (i >= 200)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
        }
        times.Sort();
        Console.WriteLine($"| token check (validate + permissions, fresh scope, {Validations} calls) | median {times[times.Count / 2]:F1} µs, p99 {times[(int)(times.Count * 0.99)]:F1} µs |");
    }

    /// <summary>
    /// The Overview's count of the estate, which a view no longer waits for (EstateFigures keeps it
    /// for 30 s and counts again in the background): its cost, paid at most twice a minute per instance.
    /// </summary>
    private static async Task EstateCountAsync(IServiceProvider services)
    {
        var times = new List<double>();
        for (var i = 0; i < 13; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var started = Stopwatch.GetTimestamp();
            await scope.ServiceProvider.GetRequiredService<OverviewReader>().CountEstateAsync();
            if (i >= 3)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        times.Sort();
        Console.WriteLine($"| Overview: the estate count behind it (background, at most every 30 s; 10 runs) | median {times[times.Count / 2]:F0} ms, max {times[^1]:F0} ms |");
    }

    /// <summary>A second instance started on the same database (migrations already applied), until it answers ready.</summary>
    private static async Task StartUpAsync(BenchApp app)
    {
        var started = Stopwatch.GetTimestamp();
        await using var second = new BenchApp(app.Provider, app.ConnectionString);
        using var client = second.CreateClient();
        var ready = await client.GetAsync("/healthz/ready");
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine($"| start-up of a second instance on it, until /healthz/ready answers {(int)ready.StatusCode} | {elapsed.TotalSeconds:F2} s |");
    }

    /// <summary>The last migrations rolled back (untimed), then applied again as an upgrade would (timed).</summary>
    private static async Task MigrationsAsync(IServiceProvider services)
    {
        // The token check's uses written now: a flush during the rollback would find the daily totals' table gone.
        await services.GetRequiredService<TokenUsageFlusher>().FlushAsync();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var migrations = db.Database.GetMigrations().ToList();
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(migrations[^(MigrationsTimed + 1)]);
        var started = Stopwatch.GetTimestamp();
        await migrator.MigrateAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var names = string.Join(", ", migrations.TakeLast(MigrationsTimed).Select(m => m[(m.IndexOf('_') + 1)..]));
        Console.WriteLine($"| the last {MigrationsTimed} migrations applied on it ({names}) | {elapsed.TotalSeconds:F2} s |");
    }
}

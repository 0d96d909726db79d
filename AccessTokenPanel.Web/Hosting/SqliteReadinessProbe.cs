using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>
/// Readiness on a SQLite file, asked the way a new connection would find it. The app's pooled
/// connections cannot tell: they keep the file they opened, so with the folder renamed away or the
/// file overwritten they go on reading (and writing) the old file or their page cache, and under
/// another process's write lock they still read. So each probe checks the file at the configured path
/// (it exists, it starts with SQLite's header), opens a fresh unpooled connection, takes the write
/// lock (<c>BEGIN IMMEDIATE</c>) and reads the migrations and the settings row before rolling back.
/// </summary>
internal static class SqliteReadinessProbe
{
    private const int SqliteError = 1;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;

    /// <summary>The first 16 bytes of every SQLite database file.</summary>
    public static ReadOnlySpan<byte> Header => "SQLite format 3\0"u8;

    /// <summary>True when the connection string names a file (not an in-memory database).</summary>
    public static bool IsFile(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode != SqliteOpenMode.Memory && builder.DataSource is not ("" or ":memory:");
    }

    public static async Task<HealthCheckResult> CheckAsync(string connectionString, IReadOnlyCollection<string> knownMigrations, string settingsTable, CancellationToken cancellationToken)
    {
        // The app's own Default Timeout (Database:BusyTimeoutSeconds) stays: the probe waits for another
        // writer exactly as long as a request would, so "locked" means a change would really fail, not
        // that the app's own short write (a usage flush, a revoke) happened to be running.
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            // A probe never creates the file the operator moved away.
            Mode = SqliteOpenMode.ReadWrite,
        };
        if (FileFault(builder.DataSource) is { } fault)
        {
            ForgetPooledConnections();
            return fault;
        }
        try
        {
            await using var connection = new SqliteConnection(builder.ToString());
            await connection.OpenAsync(cancellationToken);
            // Nothing is written: closing this unpooled connection rolls back and releases the lock.
            await using (var begin = connection.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                await begin.ExecuteNonQueryAsync(cancellationToken);
            }
            var applied = await AppliedMigrationsAsync(connection, cancellationToken);
            if (applied is null)
            {
                return HealthCheckResult.Unhealthy("The database has no migrations history: it is not the panel's database.");
            }
            if (DatabaseHealthCheck.Pending(knownMigrations, applied) is { } pending)
            {
                return pending;
            }
            await using var settings = connection.CreateCommand();
            settings.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{settingsTable}\");";
            return Convert.ToInt64(await settings.ExecuteScalarAsync(cancellationToken)) == 1
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The settings row is missing: the database was not initialized.");
        }
        catch (SqliteException ex)
        {
            if (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
            {
                return HealthCheckResult.Unhealthy(
                    $"The database is locked for writing by another connection (waited {builder.DefaultTimeout} s, Database:BusyTimeoutSeconds): changes fail.", ex);
            }
            // The file at the path is not what the pool holds open: have the app's own connections
            // find that out now, so the APIs answer 503 instead of serving a moved or garbled file.
            ForgetPooledConnections();
            return HealthCheckResult.Unhealthy(ex.SqliteErrorCode switch
            {
                SqliteReadOnly => "The database is read-only: changes would fail.",
                _ => $"The database is not usable (SQLite error {ex.SqliteErrorCode}).",
            }, ex);
        }
    }

    private static HealthCheckResult? FileFault(string path)
    {
        Span<byte> head = stackalloc byte[Header.Length];
        int read;
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = RandomAccess.Read(file, head, 0);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return HealthCheckResult.Unhealthy("The database file is not found (its folder moved, renamed or deleted?).", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy("The database file cannot be read.", ex);
        }
        if (read == 0)
        {
            return HealthCheckResult.Unhealthy("The database file is empty: it is not the panel's database.");
        }
        return head[..read].SequenceEqual(Header)
            ? null
            : HealthCheckResult.Unhealthy("The database file is not a SQLite database (its header is wrong).");
    }

    private static async Task<HashSet<string>?> AppliedMigrationsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"MigrationId\" FROM \"{HistoryRepository.DefaultTableName}\";";
        try
        {
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
            return applied;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteError)
        {
            // No such table.
            return null;
        }
    }

    private static void ForgetPooledConnections() => SqliteConnection.ClearAllPools();
}

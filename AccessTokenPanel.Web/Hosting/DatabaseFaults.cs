using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>What a database error says about the request that met it.</summary>
internal enum DatabaseFaultKind
{
    /// <summary>The database cannot be used (gone, unreachable, not a database, locked, full): try again later.</summary>
    Unavailable,
    /// <summary>The statement broke a rule of the stored data (a unique key, a reference), often a concurrent change.</summary>
    Conflict,
    /// <summary>The database refused the statement for what it was given (a value it cannot hold or compare, a syntax error).</summary>
    Refused,
}

internal sealed record DatabaseFault(DatabaseFaultKind Kind, DbException Error);

/// <summary>
/// Tells a database that cannot be used from a statement the database refused. Only the first is an
/// outage (503, "not reachable"); answering a refused statement that way would send clients and
/// operators looking for a fault that is not there, and tell the client to repeat what will fail again.
/// </summary>
internal static class DatabaseFaults
{
    /// <summary>True when the exception (or one it wraps) says the database itself is not usable.</summary>
    public static bool IsDatabaseFault(Exception exception) => Find(exception) is not null;

    /// <summary>The error saying the database is not usable, or null for any other exception.</summary>
    public static DbException? Find(Exception exception) =>
        Classify(exception) is { Kind: DatabaseFaultKind.Unavailable } fault ? fault.Error : null;

    /// <summary>The first database error the exception is or wraps, and what it means; null when none or unknown.</summary>
    public static DatabaseFault? Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case DbException db:
                    return KindOf(db) is { } kind ? new DatabaseFault(kind, db) : null;
                case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                    return Classify(aggregate.InnerExceptions[0]);
            }
        }
        return null;
    }

    private static DatabaseFaultKind? KindOf(DbException error) => error switch
    {
        SqliteException sqlite => Sqlite(sqlite),
        PostgresException postgres => PostgreSql(postgres.SqlState),
        // Npgsql's own errors (no server answer): refused or lost connections, timeouts, an exhausted pool.
        NpgsqlException => DatabaseFaultKind.Unavailable,
        SqlException sqlServer => SqlServer(sqlServer.Number),
        _ => null,
    };

    // https://www.sqlite.org/rescode.html (primary codes; the extended ones carry them in the low byte).
    private static DatabaseFaultKind? Sqlite(SqliteException error) => (error.SqliteErrorCode & 0xFF) switch
    {
        // SQLITE_ERROR is also what a missing table gives: a file that is not the panel's database.
        1 when error.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase) => DatabaseFaultKind.Unavailable,
        1 or 18 or 20 or 25 => DatabaseFaultKind.Refused, // ERROR (syntax...), TOOBIG, MISMATCH, RANGE
        19 => DatabaseFaultKind.Conflict, // CONSTRAINT
        3 or 5 or 6 or 7 or 8 or 10 or 11 or 13 or 14 or 15 or 23 or 26 =>
            DatabaseFaultKind.Unavailable, // PERM, BUSY, LOCKED, NOMEM, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, AUTH, NOTADB
        _ => null,
    };

    // https://www.postgresql.org/docs/current/errcodes-appendix.html
    private static DatabaseFaultKind? PostgreSql(string state) => state switch
    {
        // Missing database or table: not the panel's (migrated) database.
        "3D000" or "42P01" => DatabaseFaultKind.Unavailable,
        // Statement timeout or cancel, lock timeout, deadlock, serialization failure: busy, try again.
        "57014" or "55P03" or "40P01" or "40001" => DatabaseFaultKind.Unavailable,
        _ when state.StartsWith("08", StringComparison.Ordinal) // connection exception
            || state.StartsWith("28", StringComparison.Ordinal) // the panel's credentials are refused
            || state.StartsWith("53", StringComparison.Ordinal) // insufficient resources (disk full, too many connections)
            || state.StartsWith("57P", StringComparison.Ordinal) // shutting down, starting up
            || state.StartsWith("58", StringComparison.Ordinal) => DatabaseFaultKind.Unavailable, // system (I/O) error
        _ when state.StartsWith("23", StringComparison.Ordinal) => DatabaseFaultKind.Conflict, // integrity constraint
        _ when state.StartsWith("22", StringComparison.Ordinal) // data exception (e.g. 22021: U+0000 in text)
            || state.StartsWith("42", StringComparison.Ordinal) // syntax error or access rule
            || state.StartsWith("54", StringComparison.Ordinal) => DatabaseFaultKind.Refused, // program limit (a value too large to index)
        _ => null,
    };

    // https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors
    private static DatabaseFaultKind? SqlServer(int number) => number switch
    {
        -2 or -1 or 2 or 53 or 121 or 233 or 258 or 4060 or 18456 or 10053 or 10054 or 10060 or 10061 or 11001
            or 40143 or 40197 or 40501 or 40613 or 49918 or 49919 or 49920 => DatabaseFaultKind.Unavailable,
        1205 or 1222 => DatabaseFaultKind.Unavailable, // deadlock victim, lock timeout
        2601 or 2627 or 547 or 515 => DatabaseFaultKind.Conflict, // duplicate key, reference, NOT NULL
        102 or 105 or 156 or 220 or 241 or 242 or 245 or 2628 or 8114 or 8115 or 8152 => DatabaseFaultKind.Refused,
        _ => null,
    };

    /// <summary>
    /// Drops idle pooled connections after a fault: a connection opened while the file was missing or
    /// garbage stays bound to that file and would keep failing after the real file is back.
    /// </summary>
    public static void Forget(Exception exception)
    {
        if (Find(exception) is SqliteException)
        {
            SqliteConnection.ClearAllPools();
        }
    }
}

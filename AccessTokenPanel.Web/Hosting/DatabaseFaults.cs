using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>Tells a database that cannot be used (gone, not a database, locked) from other errors.</summary>
internal static class DatabaseFaults
{
    private const int SqliteConstraint = 19;

    /// <summary>True when the exception (or one it wraps) says the database itself is not usable.</summary>
    public static bool IsDatabaseFault(Exception exception) => Find(exception) is not null;

    public static DbException? Find(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // A broken rule (unique key...) is the app's error, not the database's.
                case SqliteException sqlite when sqlite.SqliteErrorCode == SqliteConstraint:
                    return null;
                case DbException db:
                    return db;
                case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                    return Find(aggregate.InnerExceptions[0]);
            }
        }
        return null;
    }

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

using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>
/// A named lock held in the server database, so that instances sharing it take turns at work only one
/// may do (migrating, creating the first Data Protection key, creating the first administrator):
/// an advisory lock on PostgreSQL, an application lock on SQL Server. SQLite serves one instance, so
/// there the work simply runs.
/// </summary>
internal static class DatabaseLock
{
    public static async Task<T> RunAsync<T>(DbContext db, DatabaseLockName name, Func<Task<T>> work, CancellationToken cancellationToken = default)
    {
        var (acquire, release) = db.Database.ProviderName switch
        {
            "Npgsql.EntityFrameworkCore.PostgreSQL" => ($"SELECT pg_advisory_lock({(int)name})", $"SELECT pg_advisory_unlock({(int)name})"),
            "Microsoft.EntityFrameworkCore.SqlServer" => (
                $"EXEC sp_getapplock @Resource = 'AccessTokenPanel.{name}', @LockMode = 'Exclusive', @LockOwner = 'Session'",
                $"EXEC sp_releaseapplock @Resource = 'AccessTokenPanel.{name}', @LockOwner = 'Session'"),
            _ => ((string?)null, (string?)null),
        };
        if (acquire is null)
        {
            return await work();
        }
        // Session-level locks belong to a connection: keep this one open until the lock is released.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
#pragma warning disable EF1002 // the statements are built from constants only
            await db.Database.ExecuteSqlRawAsync(acquire, cancellationToken);
            try
            {
                return await work();
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync(release!, CancellationToken.None);
            }
#pragma warning restore EF1002
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static Task RunAsync(DbContext db, DatabaseLockName name, Func<Task> work, CancellationToken cancellationToken = default) =>
        RunAsync(db, name, async () => { await work(); return true; }, cancellationToken);
}

/// <summary>The panel's database locks; the value is PostgreSQL's advisory lock key.</summary>
internal enum DatabaseLockName
{
    DataProtection = 727301,
    Migrations = 727302,
    FirstRunSetup = 727303,
}

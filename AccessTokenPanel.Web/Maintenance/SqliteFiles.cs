using AccessTokenPanel.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace AccessTokenPanel.Web.Maintenance;

/// <summary>File-level helpers shared by backup and restore.</summary>
internal static class SqliteFiles
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>True when the file starts with SQLite's header (an empty file, which SQLite would take as a new database, is not one).</summary>
    public static bool HasSqliteHeader(string path)
    {
        Span<byte> head = stackalloc byte[SqliteReadinessProbe.Header.Length];
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return RandomAccess.Read(file, head, 0) == head.Length && head.SequenceEqual(SqliteReadinessProbe.Header);
    }

    /// <summary>
    /// Creates an empty file only its owner can read: backups hold the Data Protection keys and the
    /// encrypted authenticator keys. SQLite creates its journal files with the same permissions.
    /// </summary>
    public static void CreatePrivateFile(string path)
    {
        using var _ = CreatePrivate(path);
    }

    /// <summary>A byte-for-byte copy in a new file only its owner can read (File.Copy would copy the source's permissions).</summary>
    public static void CopyToPrivateFile(string source, string destination)
    {
        using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var to = CreatePrivate(destination);
        from.CopyTo(to);
    }

    private static FileStream CreatePrivate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }

    /// <summary>An unpooled connection, so that closing it really closes the file (and releases its locks).</summary>
    public static SqliteConnection Connect(string path, SqliteOpenMode mode, int busyTimeoutSeconds = 1) =>
        new(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = busyTimeoutSeconds,
        }.ToString());

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static bool IsBusy(SqliteException exception) => exception.SqliteErrorCode is SqliteBusy or SqliteLocked;

    /// <summary>Deletes a file SQLite may have left journals beside; missing files are fine.</summary>
    public static void DeleteWithJournals(string path)
    {
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}

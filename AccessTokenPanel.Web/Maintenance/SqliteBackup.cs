using Microsoft.Data.Sqlite;

namespace AccessTokenPanel.Web.Maintenance;

/// <summary>
/// A consistent copy of the live SQLite database, taken with SQLite's online backup API while the
/// panel serves requests: the copy is made in one step inside one read transaction, so it is the
/// database as of one instant, and in WAL mode the panel's writers never wait for it.
/// </summary>
internal static class SqliteBackup
{
    public static OperationResult Run(string databasePath, string target, int busyTimeoutSeconds)
    {
        if (File.Exists(target))
        {
            return OperationResult.Refused($"{target} already exists: a backup never overwrites a file. Choose another name.");
        }
        if (!File.Exists(databasePath))
        {
            return OperationResult.Refused($"There is no database at {databasePath} (Database:ConnectionString).");
        }
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
        {
            return OperationResult.Refused($"The folder {folder} does not exist.");
        }
        // Written under another name and renamed when complete, so a file with the backup's name is
        // never half a backup (a full disk, a killed process).
        var partial = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            SqliteFiles.CreatePrivateFile(partial);
            // ReadWrite, not ReadWriteCreate: a wrong path must not create an empty database to copy.
            using (var source = SqliteFiles.Connect(databasePath, SqliteOpenMode.ReadWrite, busyTimeoutSeconds))
            using (var copy = SqliteFiles.Connect(partial, SqliteOpenMode.ReadWrite))
            {
                source.Open();
                copy.Open();
                source.BackupDatabase(copy);
                // One self-contained file, whatever journal mode the source is in.
                SqliteFiles.Execute(copy, "PRAGMA journal_mode=DELETE;");
            }
            var checkedCopy = PanelDatabaseFile.Inspect(partial);
            if (!checkedCopy.IsUsable)
            {
                return OperationResult.Refused($"The database at {databasePath} did not copy into a usable panel database: {checkedCopy.Problem}");
            }
            File.Move(partial, target, overwrite: false);
            return OperationResult.Done(
                $"Backed up {databasePath} to {target} ({checkedCopy.Summary}, {new FileInfo(target).Length:N0} bytes). "
                + "It holds the Data Protection keys and the encrypted authenticator keys: keep it as secret as the database.");
        }
        catch (SqliteException ex)
        {
            return OperationResult.Refused($"Could not back up {databasePath}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return OperationResult.Refused($"Could not write {target}: {ex.Message}");
        }
        finally
        {
            SqliteFiles.DeleteWithJournals(partial);
        }
    }
}

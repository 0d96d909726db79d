using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AccessTokenPanel.Web.Maintenance;

/// <summary>
/// Puts a backup in the database's place, with the panel stopped. The backup is checked first (a
/// panel database of this version or an older one); the database it replaces is kept beside it.
/// </summary>
internal static class SqliteRestore
{
    public static OperationResult Run(string backupPath, string databasePath, DateTimeOffset now)
    {
        if (Path.GetFullPath(backupPath) == Path.GetFullPath(databasePath))
        {
            return OperationResult.Refused($"{backupPath} is the database itself.");
        }
        var backup = PanelDatabaseFile.Inspect(backupPath);
        if (!backup.IsUsable)
        {
            return OperationResult.Refused($"Refused: {backup.Problem} Nothing was changed.");
        }
        var keptAs = $"{databasePath}.before-restore-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
            var replacement = File.Exists(databasePath) && SqliteFiles.HasSqliteHeader(databasePath)
                ? ReplaceInPlace(backupPath, databasePath, keptAs)
                : ReplaceUnreadable(backupPath, databasePath, keptAs);
            if (replacement.Refusal is { } refusal)
            {
                return OperationResult.Refused(refusal);
            }
            var restored = PanelDatabaseFile.Inspect(databasePath);
            if (!restored.IsUsable)
            {
                return OperationResult.Refused($"The restored database does not check out: {restored.Problem}");
            }
            var message = $"Restored {backupPath} ({restored.Summary}) into {databasePath}.";
            if (replacement.KeptAs is not null)
            {
                message += $" The database it replaced is kept as {replacement.KeptAs}.";
            }
            if (restored.Pending.Count > 0)
            {
                message += $" The backup is from an older version: the panel applies {restored.Pending.Count} migration(s) when it starts.";
            }
            // Restoring undoes revocations: say so where the operator is looking.
            message += " Everything done since the backup is undone, revocations too: revoke again the tokens revoked since then. "
                + "Sessions and Data Protection keys are the backup's, so people signed in since then sign in again.";
            if (Environment.UserName == "root")
            {
                message += " Run as root, the file belongs to root now: chown it to the panel's user before starting the panel.";
            }
            return OperationResult.Done(message);
        }
        catch (SqliteException ex)
        {
            return OperationResult.Refused($"Could not restore into {databasePath}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return OperationResult.Refused($"Could not restore into {databasePath}: {ex.Message}");
        }
    }

    private sealed record Replacement(string? KeptAs, string? Refusal = null);

    /// <summary>
    /// Over a SQLite database: first an exclusive lock that no other process can share (exclusive
    /// locking mode, so even an idle connection of a running panel, which keeps a shared lock, makes
    /// it fail), then a copy of the current file, then the backup written through SQLite itself in one
    /// transaction.
    /// </summary>
    private static Replacement ReplaceInPlace(string backupPath, string databasePath, string keptAs)
    {
        using (var target = SqliteFiles.Connect(databasePath, SqliteOpenMode.ReadWrite))
        {
            target.Open();
            try
            {
                SqliteFiles.Execute(target, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;");
                // Folds the write-ahead log into the file and removes it, so the file alone is the database.
                SqliteFiles.Execute(target, "PRAGMA journal_mode=DELETE;");
            }
            catch (SqliteException ex) when (SqliteFiles.IsBusy(ex))
            {
                return new Replacement(null, $"{databasePath} is in use by another process: stop the panel first "
                    + "(e.g. systemctl stop accesstokenpanel). Nothing was changed.");
            }
            catch (SqliteException)
            {
                // Damaged past its header: treated like any file SQLite cannot read.
                target.Close();
                return ReplaceUnreadable(backupPath, databasePath, keptAs);
            }
            SqliteFiles.CopyToPrivateFile(databasePath, keptAs);
            using var source = SqliteFiles.Connect(backupPath, SqliteOpenMode.ReadOnly);
            source.Open();
            source.BackupDatabase(target);
        }
        return new Replacement(keptAs);
    }

    /// <summary>
    /// No database there, or a file SQLite cannot read (garbage, empty): nothing can hold it the SQLite
    /// way, so it is moved aside with any journals (a write-ahead log left beside the new file would be
    /// replayed into it) and the backup is written to a new file.
    /// </summary>
    private static Replacement ReplaceUnreadable(string backupPath, string databasePath, string keptAs)
    {
        string? kept = null;
        foreach (var suffix in new[] { "", "-journal", "-wal", "-shm" })
        {
            if (File.Exists(databasePath + suffix))
            {
                File.Move(databasePath + suffix, keptAs + suffix);
                kept = keptAs;
            }
        }
        SqliteFiles.CreatePrivateFile(databasePath);
        using var target = SqliteFiles.Connect(databasePath, SqliteOpenMode.ReadWrite);
        using var source = SqliteFiles.Connect(backupPath, SqliteOpenMode.ReadOnly);
        target.Open();
        source.Open();
        source.BackupDatabase(target);
        return new Replacement(kept);
    }
}

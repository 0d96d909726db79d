using AccessTokenPanel.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace AccessTokenPanel.Web.Maintenance;

/// <summary>
/// <c>backup &lt;file&gt;</c> and <c>restore &lt;file&gt;</c>: the operator's commands for the SQLite
/// database, run instead of the web host. They read the database's place from the same configuration
/// as the panel (appsettings.json, environment variables, the arguments after the file).
/// </summary>
internal static class DatabaseCommand
{
    public const int Failed = 1;
    public const int Usage = 2;

    private const string UsageText = """
        Usage: AccessTokenPanel.Web backup <file> [--Database:ConnectionString "Data Source=..."]
               AccessTokenPanel.Web restore <file> [--Database:ConnectionString "Data Source=..."]
        backup  copies the SQLite database to a new <file> while the panel runs.
        restore puts <file> (a backup) in the database's place; stop the panel first.
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args is not [var verb and ("backup" or "restore"), var file, .. var configuration] || file.StartsWith('-'))
        {
            error.WriteLine(UsageText);
            return Usage;
        }
        DatabaseOptions options;
        string contentRoot;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configuration });
            builder.Configuration.AddOperatorSettingsFile(builder.Environment);
            options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
            contentRoot = builder.Environment.ContentRootPath;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            error.WriteLine($"The configuration cannot be read: {ex.Message}");
            return Failed;
        }
        if (options.Provider != DatabaseProvider.Sqlite)
        {
            error.WriteLine($"{verb} works on the SQLite database; this panel uses {options.Provider}. "
                + "Use the database's own tools: pg_dump / pg_restore for PostgreSQL, BACKUP DATABASE / RESTORE DATABASE for SQL Server.");
            return Failed;
        }
        if (!SqliteReadinessProbe.IsFile(options.ConnectionString))
        {
            error.WriteLine("The database is in memory (Database:ConnectionString): there is no file to back up or restore.");
            return Failed;
        }
        var databasePath = new SqliteConnectionStringBuilder(
            DatabaseSetup.ResolveSqliteDataSource(options.ConnectionString, contentRoot, createFolder: false)).DataSource;
        var path = Path.GetFullPath(file);
        var result = verb == "backup"
            ? SqliteBackup.Run(databasePath, path, options.BusyTimeoutSeconds)
            : SqliteRestore.Run(path, databasePath, TimeProvider.System.GetUtcNow());
        (result.Succeeded ? output : error).WriteLine(result.Message);
        return result.Succeeded ? 0 : Failed;
    }
}

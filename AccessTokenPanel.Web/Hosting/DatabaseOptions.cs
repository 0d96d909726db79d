using System.ComponentModel.DataAnnotations;

namespace AccessTokenPanel.Web.Hosting;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

/// <summary>The <c>Database</c> section of appsettings.json.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>For SQLite a relative Data Source is resolved against the app's content root.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/accesstokenpanel.db";

    /// <summary>
    /// SQLite: how long a statement waits for another writer's lock before the request gives up with
    /// 503 (Microsoft.Data.Sqlite's default is 30 s). Set here rather than as Default Timeout.
    /// </summary>
    [Range(1, 300)]
    public int BusyTimeoutSeconds { get; set; } = 5;
}

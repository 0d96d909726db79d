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
}

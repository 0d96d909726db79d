using AccessTokenPanel.Web.Data.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server scripts/test.sh starts for the run (address in <see cref="Variable"/>).
/// Each test class gets its own database, copied from a template migrated once per run, so classes
/// stay parallel and a new database costs a file copy rather than a migration.
/// </summary>
public static class PostgreSqlTestServer
{
    public const string Variable = "ATP_POSTGRES";

    public const string SkipReason =
        "PostgreSQL case skipped: no server. Set " + Variable + " to an Npgsql connection string of a superuser "
        + "(scripts/test.sh starts a private PostgreSQL 15 and sets it).";

    private const string TemplateName = "atp_template_migrated";
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static bool _templateReady;

    public static string? AdminConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool IsAvailable => AdminConnectionString is not null;

    /// <summary>A new database with the panel's schema already migrated (or empty, to test migrations).</summary>
    public static string CreateDatabase(bool migrated = true)
    {
        var admin = AdminConnectionString ?? throw new InvalidOperationException(SkipReason);
        if (migrated)
        {
            EnsureTemplate(admin);
        }
        var name = "atp_" + Guid.NewGuid().ToString("N")[..20];
        Execute(admin, migrated ? $"CREATE DATABASE {name} TEMPLATE {TemplateName}" : $"CREATE DATABASE {name}");
        return With(admin, name);
    }

    public static void DropDatabase(string connectionString)
    {
        var admin = AdminConnectionString;
        if (admin is null)
        {
            return;
        }
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        Execute(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private static void EnsureTemplate(string admin)
    {
        TemplateGate.Wait();
        try
        {
            if (_templateReady)
            {
                return;
            }
            // Another test process of this run (there is one) may have left one behind: rebuild it.
            Execute(admin, $"DROP DATABASE IF EXISTS {TemplateName} WITH (FORCE)");
            Execute(admin, $"CREATE DATABASE {TemplateName}");
            var template = With(admin, TemplateName);
            using (var context = new PostgreSqlPanelDbContext(new DbContextOptionsBuilder<PostgreSqlPanelDbContext>().UseNpgsql(template).Options))
            {
                context.Database.Migrate();
            }
            // A template must have no open connection when it is copied.
            using (var connection = new NpgsqlConnection(template))
            {
                NpgsqlConnection.ClearPool(connection);
            }
            _templateReady = true;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static string With(string admin, string database) =>
        new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString) ;
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

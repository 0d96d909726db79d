using AccessTokenPanel.Web.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// One SQLite file migrated once per test run; a test database starts as a copy of it. Applying the
/// sixteen-odd migrations builds each one's target model and rebuilds tables, which cost the suite
/// far more than a file copy (PostgreSQL does the same with a template database, see
/// <see cref="PostgreSqlTestServer"/>). The migrations still run from empty: for the
/// template itself, and in Hosting/HostTests, which starts an app on no file.
/// </summary>
public static class SqliteTemplate
{
    private static readonly Lazy<string> Template = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Copies the migrated template to <paramref name="path"/> (which must not exist yet).</summary>
    public static void CopyTo(string path) => File.Copy(Template.Value, path);

    private static string Create()
    {
        var folder = Directory.CreateTempSubdirectory("atp-template-").FullName;
        var path = Path.Combine(folder, "template.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using (var context = new SqlitePanelDbContext(new DbContextOptionsBuilder<SqlitePanelDbContext>().UseSqlite(connectionString).Options))
        {
            context.Database.Migrate();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return path;
    }
}

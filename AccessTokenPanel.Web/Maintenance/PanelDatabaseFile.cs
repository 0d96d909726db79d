using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AccessTokenPanel.Web.Maintenance;

/// <summary>
/// A SQLite file checked before it is trusted as the panel's database: it is SQLite, undamaged,
/// has the panel's tables and a migrations history, and no migration this version does not know
/// (a newer version's schema, which this code would misread).
/// </summary>
internal sealed record PanelDatabaseFile(string Path, string? Problem, IReadOnlyList<string> Migrations, IReadOnlyList<string> Pending, long Users, long Tokens)
{
    public bool IsUsable => Problem is null;

    /// <summary>The newest migration applied: the schema's version.</summary>
    public string Schema => Migrations.Count == 0 ? "none" : Migrations[^1];

    public string Summary => $"schema {Schema}, {Users} user(s), {Tokens} token(s)";

    public static PanelDatabaseFile Inspect(string path)
    {
        if (!File.Exists(path))
        {
            return Unusable(path, $"{path} does not exist.");
        }
        if (!SqliteFiles.HasSqliteHeader(path))
        {
            return Unusable(path, $"{path} is not a SQLite database.");
        }
        try
        {
            using var connection = SqliteFiles.Connect(path, SqliteOpenMode.ReadOnly);
            connection.Open();
            var check = Strings(connection, "PRAGMA quick_check;");
            if (check is not ["ok"])
            {
                return Unusable(path, $"{path} is a damaged SQLite database (quick_check: {string.Join("; ", check.Take(3))}).");
            }
            var tables = Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'table';").ToHashSet(StringComparer.Ordinal);
            if (ThisVersion.CoreTables.Append(HistoryRepository.DefaultTableName).FirstOrDefault(t => !tables.Contains(t)) is { } missing)
            {
                return Unusable(path, $"{path} is a SQLite database but not the panel's: it has no table {missing}.");
            }
            var migrations = Strings(connection, $"SELECT \"MigrationId\" FROM \"{HistoryRepository.DefaultTableName}\" ORDER BY \"MigrationId\";");
            if (migrations.FirstOrDefault(m => !ThisVersion.KnownMigrations.Contains(m)) is { } unknown)
            {
                return Unusable(path, $"{path} comes from a newer version of the panel: its migration {unknown} is unknown to this version "
                    + $"(the newest this version knows is {ThisVersion.KnownMigrations[^1]}). Use that newer version.");
            }
            var pending = ThisVersion.KnownMigrations.Except(migrations).ToList();
            return new PanelDatabaseFile(path, null, migrations, pending,
                Count(connection, ThisVersion.UsersTable), Count(connection, ThisVersion.TokensTable));
        }
        catch (SqliteException ex)
        {
            return Unusable(path, $"{path} cannot be read as a SQLite database: {ex.Message}");
        }
    }

    private static PanelDatabaseFile Unusable(string path, string problem) => new(path, problem, [], [], 0, 0);

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private static long Count(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\";";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>What this version's SQLite model says a panel database has.</summary>
    private static class ThisVersion
    {
        static ThisVersion()
        {
            // Only the model and the migrations assembly are read: no connection is opened.
            using var db = new SqlitePanelDbContext(new DbContextOptionsBuilder<SqlitePanelDbContext>().UseSqlite("Data Source=:memory:").Options);
            KnownMigrations = db.Database.GetMigrations().ToList();
            UsersTable = db.Model.FindEntityType(typeof(PanelUser))!.GetTableName()!;
            TokensTable = db.Model.FindEntityType(typeof(AccessToken))!.GetTableName()!;
            // Tables every version since the first migration has.
            CoreTables = [UsersTable, TokensTable, db.Model.FindEntityType(typeof(PanelSettings))!.GetTableName()!];
        }

        public static IReadOnlyList<string> KnownMigrations { get; }
        public static string UsersTable { get; }
        public static string TokensTable { get; }
        public static IReadOnlyList<string> CoreTables { get; }
    }
}

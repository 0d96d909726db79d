using System.Data.Common;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AccessTokenPanel.Tests.Hosting;

/// <summary>
/// Only a database that cannot be used (gone, unreachable, locked) is an outage answered with 503;
/// a statement the database refused because of what it was given is the request's fault.
/// Each case is a real error from a real database.
/// </summary>
public class DatabaseFaultClassificationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atp-classify-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static DbException Capture(Action action)
    {
        try
        {
            action();
        }
        catch (DbException ex)
        {
            return ex;
        }
        throw new InvalidOperationException("The statement did not fail.");
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteConnection OpenSqlite(string dataSource, int timeoutSeconds = 30)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dataSource, Pooling = false, DefaultTimeout = timeoutSeconds }.ToString());
        connection.Open();
        return connection;
    }

    [Theory]
    [InlineData("SELECT * FROM nothing WHERE x = 'unterminated")]
    [InlineData("SELEC 1")]
    public void SqliteSyntaxErrorIsTheRequestsFaultNotAnOutage(string sql)
    {
        using var connection = OpenSqlite(":memory:");
        var error = Capture(() => Execute(connection, sql));

        Assert.False(DatabaseFaults.IsDatabaseFault(error));
        Assert.False(DatabaseFaults.IsDatabaseFault(new DbUpdateException("wrapped", error)));
    }

    [Fact]
    public void SqliteConstraintViolationIsNotAnOutage()
    {
        using var connection = OpenSqlite(":memory:");
        Execute(connection, "CREATE TABLE t (x TEXT UNIQUE); INSERT INTO t VALUES ('a');");

        var error = Capture(() => Execute(connection, "INSERT INTO t VALUES ('a')"));

        Assert.False(DatabaseFaults.IsDatabaseFault(error));
    }

    [Fact]
    public void SqliteDatabaseLockedByAnotherWriterIsAnOutage()
    {
        var file = Path.Combine(_folder, "locked.db");
        using var holder = OpenSqlite(file);
        Execute(holder, "CREATE TABLE t (x TEXT); BEGIN IMMEDIATE;");
        using var waiter = OpenSqlite(file, timeoutSeconds: 1);

        var error = Capture(() => Execute(waiter, "INSERT INTO t VALUES ('a')"));

        Assert.True(DatabaseFaults.IsDatabaseFault(error));
    }

    [Fact]
    public void SqliteFileThatIsNotADatabaseIsAnOutage()
    {
        var file = Path.Combine(_folder, "garbage.db");
        File.WriteAllBytes(file, Enumerable.Repeat((byte)'x', 8192).ToArray());
        using var connection = OpenSqlite(file);

        var error = Capture(() => Execute(connection, "SELECT * FROM sqlite_master"));

        Assert.True(DatabaseFaults.IsDatabaseFault(error));
    }

    [Fact]
    public void SqliteFolderThatIsGoneIsAnOutage()
    {
        var error = Capture(() => OpenSqlite(Path.Combine(_folder, "gone", "panel.db")));

        Assert.True(DatabaseFaults.IsDatabaseFault(error));
    }

    [Fact]
    public void PostgreSqlServerThatDoesNotAnswerIsAnOutage()
    {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        using var connection = new NpgsqlConnection("Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2");

        var error = Capture(connection.Open);

        Assert.True(DatabaseFaults.IsDatabaseFault(error));
    }
}

/// <summary>The refusals PostgreSQL itself gives, on the run's server.</summary>
[PostgreSqlCases]
public class DatabaseFaultClassificationOnPostgreSqlTests : IDisposable
{
    private readonly string _connectionString = PostgreSqlTestServer.CreateDatabase(migrated: false);

    public void Dispose() => PostgreSqlTestServer.DropDatabase(_connectionString);

    private DbException Capture(string sql, object? parameter = null)
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("value", parameter);
        }
        try
        {
            command.ExecuteNonQuery();
        }
        catch (DbException ex)
        {
            return ex;
        }
        throw new InvalidOperationException("The statement did not fail.");
    }

    [Fact]
    public void SyntaxErrorIsTheRequestsFaultNotAnOutage()
    {
        var error = Capture("SELEC 1");

        Assert.False(DatabaseFaults.IsDatabaseFault(error));
    }

    [Fact]
    public void NulCharacterInAParameterIsTheRequestsFaultNotAnOutage()
    {
        // PostgreSQL text cannot hold U+0000: 22021, a data exception.
        var error = Capture("SELECT @value::text", "a\0b");

        Assert.False(DatabaseFaults.IsDatabaseFault(error));
    }

    [Fact]
    public void UniqueViolationIsNotAnOutage()
    {
        var error = Capture("CREATE TABLE t (x text UNIQUE); INSERT INTO t VALUES ('a'); INSERT INTO t VALUES ('a');");

        Assert.False(DatabaseFaults.IsDatabaseFault(error));
    }
}

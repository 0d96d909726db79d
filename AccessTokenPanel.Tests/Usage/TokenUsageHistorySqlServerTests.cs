using System.Data;
using System.Data.Common;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Web.Data.SqlServer;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace AccessTokenPanel.Tests.Usage;

/// <summary>
/// No SQL Server runs here, so the flush's statements are translated for it and captured instead
/// of sent: a query SQL Server's provider cannot translate (the bounded prune, the conditional
/// address update) fails here, not on an operator's first flush.
/// </summary>
public sealed class TokenUsageHistorySqlServerTests
{
    [Fact]
    public async Task EveryStatementOfAFlushTranslatesForSqlServer()
    {
        var capture = new CapturingInterceptor();
        await using var db = new SqlServerPanelDbContext(new DbContextOptionsBuilder<SqlServerPanelDbContext>()
            .UseSqlServer("Server=unreachable.invalid;Database=AccessTokenPanel;TrustServerCertificate=True")
            .AddInterceptors(capture).Options);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var now = time.GetUtcNow().UtcDateTime;
        var counts = new TokenUsageCounts();
        var token = Guid.NewGuid();
        counts.CountUse(token, now, "10.0.0.1");
        counts.CountRefusal(token, TokenValidationStatus.Revoked, now);

        await new TokenUsageHistory(db, time).WriteAsync(counts.Drain());
        await new TokenUsageHistory(db, time).ReadAsync(token);

        Assert.Contains(capture.Commands, c => c.StartsWith("UPDATE [t]", StringComparison.Ordinal) && c.Contains("[Requests] + ", StringComparison.Ordinal));
        Assert.Contains(capture.Commands, c => c.Contains("CASE", StringComparison.Ordinal) && c.Contains("[LastSeenAt]", StringComparison.Ordinal));
        Assert.Equal(3, capture.Commands.Count(c => c.StartsWith("DELETE", StringComparison.Ordinal) && c.Contains("TOP(", StringComparison.Ordinal)));
        Assert.Contains(capture.Commands, c => c.StartsWith("UPDATE [t]", StringComparison.Ordinal) && c.Contains("[TokenDailyTotals]", StringComparison.Ordinal));
        Assert.Contains(capture.Commands, c => c.StartsWith("UPDATE [t]", StringComparison.Ordinal) && c.Contains("[TokenDailyRefusalTotals]", StringComparison.Ordinal));
        Assert.Contains(capture.Commands, c => c.StartsWith("DELETE", StringComparison.Ordinal) && c.Contains("[TokenDailyTotals]", StringComparison.Ordinal));
        Assert.True(capture.Committed);
    }

    /// <summary>Pretends to be a server: opens nothing, answers every update with one row and every query with none.</summary>
    private sealed class CapturingInterceptor : DbConnectionInterceptor, IDbCommandInterceptor, IDbTransactionInterceptor
    {
        public List<string> Commands { get; } = [];
        public bool Committed { get; private set; }

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default) => new(InterceptionResult.Suppress());

        // SqlCommand takes only a SqlTransaction: commands get one that takes the pretend transaction.
        public InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result) =>
            InterceptionResult<DbCommand>.SuppressWithResult(new FakeCommand());

        public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText.Trim());
            return new(InterceptionResult<int>.SuppressWithResult(1));
        }

        public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText.Trim());
            return new(InterceptionResult<DbDataReader>.SuppressWithResult(new DataTable().CreateDataReader()));
        }

        public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
            InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default) =>
            new(InterceptionResult<DbTransaction>.SuppressWithResult(new FakeTransaction(connection, this)));

        private sealed class FakeCommand : DbCommand
        {
            private readonly SqlCommand _inner = new();

            [System.Diagnostics.CodeAnalysis.AllowNull]
            public override string CommandText { get => _inner.CommandText; set => _inner.CommandText = value; }
            public override int CommandTimeout { get => _inner.CommandTimeout; set => _inner.CommandTimeout = value; }
            public override CommandType CommandType { get => _inner.CommandType; set => _inner.CommandType = value; }
            public override bool DesignTimeVisible { get; set; }
            public override UpdateRowSource UpdatedRowSource { get; set; }
            protected override DbConnection? DbConnection { get; set; }
            protected override DbParameterCollection DbParameterCollection => _inner.Parameters;
            protected override DbTransaction? DbTransaction { get; set; }
            public override void Cancel()
            {
            }
            public override int ExecuteNonQuery() => throw new InvalidOperationException("Intercepted.");
            public override object ExecuteScalar() => throw new InvalidOperationException("Intercepted.");
            public override void Prepare()
            {
            }
            protected override DbParameter CreateDbParameter() => _inner.CreateParameter();
            protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => throw new InvalidOperationException("Intercepted.");
        }

        private sealed class FakeTransaction(DbConnection connection, CapturingInterceptor owner) : DbTransaction
        {
            public override IsolationLevel IsolationLevel => IsolationLevel.ReadCommitted;
            protected override DbConnection DbConnection => connection;
            public override void Commit() => owner.Committed = true;
            public override void Rollback()
            {
            }
        }
    }
}

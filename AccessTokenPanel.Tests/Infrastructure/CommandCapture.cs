using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>Records the SQL and parameters of every query EF runs, so a test can EXPLAIN exactly those.</summary>
public sealed class CommandCapture : DbCommandInterceptor
{
    public sealed record Captured(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

    private readonly List<Captured> _commands = [];

    public IReadOnlyList<Captured> Commands
    {
        get
        {
            lock (_commands)
            {
                return _commands.ToList();
            }
        }
    }

    public void Clear()
    {
        lock (_commands)
        {
            _commands.Clear();
        }
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Record(DbCommand command)
    {
        var parameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList();
        lock (_commands)
        {
            _commands.Add(new Captured(command.CommandText, parameters));
        }
    }
}

using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AccessTokenPanel.Web.Data.Sqlite;

/// <summary>
/// The bearer check's lookup on SQLite as a prepared statement: EF Core writes the SQL once (from
/// <see cref="EfTokenLookup.Query"/>, the query every provider runs), and each call executes it on
/// a kept-open connection whose statement is already compiled, then fills the entity from EF's own
/// model (columns, value converters). It still reads the database on every call, so a revocation
/// counts at once; what it saves is EF's per-query work and SQLite's statement compilation, most of
/// the cost of a call.
/// </summary>
internal sealed partial class SqliteTokenLookup(IServiceScopeFactory scopes) : ITokenLookup, IDisposable
{
    private const int MaxIdleStatements = 32;

    private readonly ConcurrentBag<Statement> _idle = [];
    // Kept beside the bag: ConcurrentBag.Count takes every one of its locks, too dear on each call.
    private int _idleCount;
    private readonly Lock _gate = new();
    private Shape? _shape;
    private bool _disposed;

    public Task<TokenLookupRow?> FindByHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        var shape = _shape ?? CreateShape();
        if (_idle.TryTake(out var statement))
        {
            Interlocked.Decrement(ref _idleCount);
        }
        else
        {
            statement = shape.Prepare();
        }
        try
        {
            statement.Hash.Value = hash;
            TokenLookupRow? row = null;
            // Microsoft.Data.Sqlite's async calls complete synchronously; the plain ones skip their overhead.
            using (var reader = statement.Command.ExecuteReader())
            {
                if (reader.Read())
                {
                    row = shape.Read(reader);
                    if (reader.Read())
                    {
                        throw new InvalidOperationException("Two tokens have the same secret hash.");
                    }
                }
            }
            Release(statement);
            return Task.FromResult(row);
        }
        catch
        {
            // A statement that failed (database gone, locked, broken) is not reused.
            statement.Dispose();
            throw;
        }
    }

    private void Release(Statement statement)
    {
        if (_disposed)
        {
            statement.Dispose();
            return;
        }
        if (Interlocked.Increment(ref _idleCount) > MaxIdleStatements)
        {
            Interlocked.Decrement(ref _idleCount);
            statement.Dispose();
            return;
        }
        _idle.Add(statement);
    }

    private Shape CreateShape()
    {
        lock (_gate)
        {
            if (_shape is not null)
            {
                return _shape;
            }
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
            var query = EfTokenLookup.Query.Compile()(db, new byte[32]).ToQueryString();
            // ToQueryString declares the parameters first (".param set @name value"), then the statement.
            var parameter = ParameterDeclaration().Match(query);
            if (!parameter.Success)
            {
                throw new InvalidOperationException("The token query has no hash parameter:\n" + query);
            }
            var sql = query[query.IndexOf("SELECT", StringComparison.Ordinal)..];
            return _shape = new Shape(db.Database.GetConnectionString()!, sql, parameter.Groups[1].Value, db.Model.FindEntityType(typeof(AccessToken))!);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var statement))
        {
            statement.Dispose();
        }
    }

    [GeneratedRegex(@"^\.param set (\S+) ", RegexOptions.Multiline)]
    private static partial Regex ParameterDeclaration();

    private sealed class Statement(SqliteConnection connection, SqliteCommand command, SqliteParameter hash) : IDisposable
    {
        public SqliteCommand Command { get; } = command;
        public SqliteParameter Hash { get; } = hash;

        public void Dispose()
        {
            Command.Dispose();
            connection.Dispose();
        }
    }

    /// <summary>The statement's text and how its columns fill an <see cref="AccessToken"/>.</summary>
    private sealed class Shape
    {
        private readonly string _connectionString;
        private readonly string _sql;
        private readonly string _parameterName;
        private readonly Column[] _columns;
        private readonly int _ownerDisabled;
        private readonly Column _parentExpiresAt;

        public Shape(string connectionString, string sql, string parameterName, IEntityType tokenType)
        {
            _connectionString = connectionString;
            _sql = sql;
            _parameterName = parameterName;
            using var probe = Prepare();
            using var reader = probe.Command.ExecuteReader();
            // The token's columns, then IsDisabled, the parent's revoked flag and expiry, the three
            // direct-call switches and the owner's roles (EfTokenLookup.Query).
            _ownerDisabled = reader.FieldCount - 7;
            var table = StoreObjectIdentifier.Table(tokenType.GetTableName()!, tokenType.GetSchema());
            var properties = tokenType.GetProperties().ToDictionary(p => p.GetColumnName(table) ?? p.Name);
            // Columns of shadow properties (the lifetime the database computes) have nowhere to go on the entity.
            _columns = Enumerable.Range(0, _ownerDisabled)
                .Select(i => properties.TryGetValue(reader.GetName(i), out var property)
                    ? property.PropertyInfo is null ? null : new Column(i, property)
                    : throw new InvalidOperationException($"Column {reader.GetName(i)} of the token query is not a property of AccessToken."))
                .OfType<Column>()
                .ToArray();
            // Read and converted like the token's own expiry (a UTC DateTime).
            _parentExpiresAt = new Column(_ownerDisabled + 2, tokenType.FindProperty(nameof(AccessToken.ExpiresAt))!);
        }

        public Statement Prepare()
        {
            var connection = new SqliteConnection(_connectionString);
            try
            {
                connection.Open();
                var command = connection.CreateCommand();
                command.CommandText = _sql;
                var hash = command.Parameters.Add(_parameterName, SqliteType.Blob);
                hash.Value = Array.Empty<byte>();
                command.Prepare();
                return new Statement(connection, command, hash);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public TokenLookupRow Read(SqliteDataReader reader)
        {
            var token = (AccessToken)Activator.CreateInstance(typeof(AccessToken))!;
            foreach (var column in _columns)
            {
                column.Fill(reader, token);
            }
            return new TokenLookupRow(
                token,
                reader.GetBoolean(_ownerDisabled),
                reader.GetBoolean(_ownerDisabled + 1),
                (DateTime?)_parentExpiresAt.Value(reader),
                reader.GetBoolean(_ownerDisabled + 3),
                reader.GetBoolean(_ownerDisabled + 4),
                reader.GetBoolean(_ownerDisabled + 5),
                reader.GetInt32(_ownerDisabled + 6));
        }
    }

    /// <summary>One column: read as EF's provider type, converted as EF converts it, set on the entity.</summary>
    private sealed class Column
    {
        private readonly int _ordinal;
        private readonly Func<SqliteDataReader, int, object> _read;
        private readonly Func<object?, object?>? _fromProvider;
        private readonly Action<AccessToken, object?> _set;

        public Column(int ordinal, IProperty property)
        {
            _ordinal = ordinal;
            var converter = property.GetRelationalTypeMapping().Converter;
            // Taken once: the property builds a new delegate each time it is read.
            _fromProvider = converter?.ConvertFromProvider;
            var providerType = converter?.ProviderClrType ?? Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            _read = Reader(providerType);
            _set = Setter(property.PropertyInfo!);
        }

        public void Fill(SqliteDataReader reader, AccessToken token) => _set(token, Value(reader));

        public object? Value(SqliteDataReader reader)
        {
            if (reader.IsDBNull(_ordinal))
            {
                return null;
            }
            var value = _read(reader, _ordinal);
            return _fromProvider is null ? value : _fromProvider(value);
        }

        private static Func<SqliteDataReader, int, object> Reader(Type type)
        {
            var reader = Expression.Parameter(typeof(SqliteDataReader));
            var ordinal = Expression.Parameter(typeof(int));
            // The typed getters where there is one: the generic GetFieldValue<T> checks the type on every call.
            var typed = Type.GetTypeCode(type) switch
            {
                TypeCode.String => nameof(SqliteDataReader.GetString),
                TypeCode.DateTime => nameof(SqliteDataReader.GetDateTime),
                TypeCode.Int32 => nameof(SqliteDataReader.GetInt32),
                TypeCode.Int64 => nameof(SqliteDataReader.GetInt64),
                TypeCode.Boolean => nameof(SqliteDataReader.GetBoolean),
                _ when type == typeof(Guid) => nameof(SqliteDataReader.GetGuid),
                _ => null,
            };
            var call = typed is null
                ? Expression.Call(reader, nameof(SqliteDataReader.GetFieldValue), [type], ordinal)
                : Expression.Call(reader, typed, Type.EmptyTypes, ordinal);
            return Expression.Lambda<Func<SqliteDataReader, int, object>>(Expression.Convert(call, typeof(object)), reader, ordinal).Compile();
        }

        private static Action<AccessToken, object?> Setter(System.Reflection.PropertyInfo property)
        {
            var token = Expression.Parameter(typeof(AccessToken));
            var value = Expression.Parameter(typeof(object));
            var assign = Expression.Assign(Expression.Property(token, property), Expression.Convert(value, property.PropertyType));
            return Expression.Lambda<Action<AccessToken, object?>>(assign, token, value).Compile();
        }
    }
}

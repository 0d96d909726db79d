using System.Linq.Expressions;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace AccessTokenPanel.Web.Data;

/// <summary><see cref="PanelDbFunctions"/> in each provider's SQL (called from each provider's context).</summary>
internal static class PanelDbFunctionMappings
{
    private static readonly System.Reflection.MethodInfo DaysBetween =
        typeof(PanelDbFunctions).GetMethod(nameof(PanelDbFunctions.DaysBetween))!;

    /// <summary>julianday(to) - julianday(from): no text formatting of dates per row (strftime costs several times more).</summary>
    public static void MapForSqlite(ModelBuilder builder)
    {
        builder.HasDbFunction(DaysBetween).HasTranslation(args => new SqlBinaryExpression(
            ExpressionType.Subtract, JulianDay(args[1]), JulianDay(args[0]), typeof(double), null));
        // Virtual: SQLite cannot add a stored column to a table that has rows; the index that holds
        // it (IX_AccessTokens_LiveSummary) stores its value, and the Overview reads it from there.
        Lifetime(builder).HasComputedColumnSql("julianday(\"ExpiresAt\") - julianday(\"CreatedAt\")", stored: false);
    }

    /// <summary>(date_part('epoch', to) - date_part('epoch', from)) / 86400: seconds since 1970 (a double, exact to the microsecond for centuries), in days.</summary>
    public static void MapForPostgreSql(ModelBuilder builder)
    {
        builder.HasDbFunction(DaysBetween).HasTranslation(args => new SqlBinaryExpression(
            ExpressionType.Divide,
            new SqlBinaryExpression(ExpressionType.Subtract, Epoch(args[1]), Epoch(args[0]), typeof(double), null),
            new SqlFragmentExpression("86400.0"), typeof(double), null));
        // A generated column must be immutable: date_part of a timestamptz is not (it depends on the
        // session's time zone), the seconds of the interval between two instants are.
        Lifetime(builder).HasComputedColumnSql("EXTRACT(EPOCH FROM (\"ExpiresAt\" - \"CreatedAt\")) / 86400.0", stored: true);
    }

    /// <summary>DATEDIFF_BIG(millisecond, from, to) / 86400000.0.</summary>
    public static void MapForSqlServer(ModelBuilder builder)
    {
        builder.HasDbFunction(DaysBetween).HasTranslation(args => new SqlBinaryExpression(
            ExpressionType.Divide,
            new SqlFunctionExpression("DATEDIFF_BIG",
                [new SqlFragmentExpression("millisecond"), args[0], args[1]],
                nullable: true, argumentsPropagateNullability: [false, true, true], typeof(long), null),
            new SqlFragmentExpression("86400000.0"), typeof(double), null));
        // Persisted: an index may hold a computed column only when it is deterministic and (a float) persisted.
        Lifetime(builder).HasComputedColumnSql("CAST(DATEDIFF_BIG(millisecond, [CreatedAt], [ExpiresAt]) AS float) / 86400000.0", stored: true);
    }

    /// <summary><see cref="PanelDbContext.LifetimeDays"/>: the same days as <see cref="PanelDbFunctions.DaysBetween"/>(CreatedAt, ExpiresAt).</summary>
    private static Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<double> Lifetime(ModelBuilder builder) =>
        builder.Entity<AccessToken>().Property<double>(PanelDbContext.LifetimeDays);

    private static SqlFunctionExpression Epoch(SqlExpression instant) =>
        new("date_part", [new SqlFragmentExpression("'epoch'"), instant], nullable: true, argumentsPropagateNullability: [false, true], typeof(double), null);

    private static SqlFunctionExpression JulianDay(SqlExpression instant) =>
        new("julianday", [instant], nullable: true, argumentsPropagateNullability: [true], typeof(double), null);
}

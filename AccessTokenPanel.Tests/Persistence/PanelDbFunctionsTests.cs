using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Web.Data.PostgreSql;
using AccessTokenPanel.Web.Data.Sqlite;
using AccessTokenPanel.Web.Data.SqlServer;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Persistence;

/// <summary>
/// <see cref="PanelDbFunctions.DaysBetween"/> is mapped by each provider's model. The values are
/// tested against real databases (SQLite and PostgreSQL, OverPolicyCountTests); SQL Server runs
/// nowhere here, so there its translation is built without a server: a missing or broken mapping
/// fails here, not on an operator's Overview.
/// </summary>
public sealed class PanelDbFunctionsTests
{
    public static TheoryData<string, string> Providers => new()
    {
        { "Sqlite", "julianday(\"a\".\"ExpiresAt\") - julianday(\"a\".\"CreatedAt\")" },
        { "PostgreSql", "(date_part('epoch', a.\"ExpiresAt\") - date_part('epoch', a.\"CreatedAt\")) / 86400.0" },
        { "SqlServer", "DATEDIFF_BIG(millisecond, [a].[CreatedAt], [a].[ExpiresAt]) / 86400000.0" },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void DaysBetweenIsTranslatedByEveryProvider(string provider, string expected)
    {
        using PanelDbContext db = provider switch
        {
            "Sqlite" => new SqlitePanelDbContext(new DbContextOptionsBuilder<SqlitePanelDbContext>().UseSqlite("Data Source=:memory:").Options),
            "PostgreSql" => new PostgreSqlPanelDbContext(new DbContextOptionsBuilder<PostgreSqlPanelDbContext>().UseNpgsql("Host=unreachable.invalid").Options),
            _ => new SqlServerPanelDbContext(new DbContextOptionsBuilder<SqlServerPanelDbContext>().UseSqlServer("Server=unreachable.invalid").Options),
        };

        var sql = db.AccessTokens.Where(t => PanelDbFunctions.DaysBetween(t.CreatedAt, t.ExpiresAt) > 90.5).ToQueryString();

        Assert.Contains(expected, sql);
    }

    [Fact]
    public void OutsideAQueryItIsDotNetsExactValue() =>
        Assert.Equal(90.5, PanelDbFunctions.DaysBetween(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 4, 1, 12, 0, 0, DateTimeKind.Utc)));
}

using System.Data.Common;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api.Scim;
using AccessTokenPanel.Web.Data.PostgreSql;
using AccessTokenPanel.Web.Data.Sqlite;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api.Scim;

/// <summary>
/// Filter values reach the database as parameters: never as SQL text (where a NUL or a quote would
/// change the statement) and never as a new query per value (each would be compiled and cached).
/// The SQL is generated without a server, so both providers are checked here.
/// </summary>
public class ScimFilterTranslatorTests
{
    private static readonly ScimFilterTranslator<PanelUser> Translator = new(
    [
        ScimFilterTranslator<PanelUser>.Attribute("userName", u => u.NormalizedUserName, normalized: true),
        ScimFilterTranslator<PanelUser>.Attribute("displayName", u => u.DisplayName),
        ScimFilterTranslator<PanelUser>.Attribute("meta.created", u => u.CreatedAt),
        ScimFilterTranslator<PanelUser>.Attribute("active", u => !u.IsDisabled),
    ]);

    private static PanelDbContext Context(DatabaseProvider provider) => provider == DatabaseProvider.PostgreSql
        ? new PostgreSqlPanelDbContext(new DbContextOptionsBuilder<PostgreSqlPanelDbContext>().UseNpgsql("Host=localhost;Database=unused").Options)
        : new SqlitePanelDbContext(new DbContextOptionsBuilder<SqlitePanelDbContext>().UseSqlite("Data Source=:memory:").Options);

    private static DbCommand Command(PanelDbContext db, string filter)
    {
        var (parsed, error) = ScimFilter.Parse(filter);
        Assert.Null(error);
        var (predicate, invalid) = Translator.Translate(parsed!);
        Assert.Null(invalid);
        return db.Users.Where(predicate!).CreateDbCommand();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public void FilterValuesAreParametersNotSqlText(DatabaseProvider provider)
    {
        using var db = Context(provider);

        using var command = Command(db, """
            userName eq "o'brien@example.com" or displayName sw "marker-sw" or displayName ge "marker-ge" or meta.created gt "2031-02-03T04:05:06Z"
            """);

        foreach (var value in new[] { "O'BRIEN", "o'brien", "marker-sw", "marker-ge", "2031" })
        {
            Assert.DoesNotContain(value, command.CommandText, StringComparison.OrdinalIgnoreCase);
        }
        var values = command.Parameters.Cast<DbParameter>().Select(p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Contains("O'BRIEN@EXAMPLE.COM", values);
        Assert.Contains(values, v => v?.Contains("marker-sw", StringComparison.Ordinal) == true);
        Assert.Contains("marker-ge", values);
        Assert.Contains(values, v => v?.Contains("2031", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public void DifferentValuesShareOneStatement(DatabaseProvider provider)
    {
        using var db = Context(provider);

        using var first = Command(db, "userName eq \"ada@example.com\" and meta.created lt \"2030-01-01T00:00:00Z\" and active eq true");
        using var second = Command(db, "userName eq \"grace@example.com\" and meta.created lt \"2031-06-30T12:00:00Z\" and active eq true");

        Assert.Equal(first.CommandText, second.CommandText);
    }
}

using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Notices;

/// <summary>
/// Notice kinds are stored by name in a bounded column: SQLite would take a longer name, PostgreSQL
/// and SQL Server refuse it (and the notice, and the change it was saved with).
/// </summary>
public sealed class NoticeKindStorageTests
{
    [Fact]
    public async Task EveryNoticeKindFitsItsColumn()
    {
        await using var database = new SqliteTestDatabase();
        await using var scope = database.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var column = db.Model.FindEntityType(typeof(TokenNotice))!.FindProperty(nameof(TokenNotice.Kind))!.GetMaxLength();

        Assert.NotNull(column);
        Assert.All(Enum.GetNames<NoticeKind>(), name => Assert.True(name.Length <= column, $"{name} is longer than the column's {column} characters."));
    }
}

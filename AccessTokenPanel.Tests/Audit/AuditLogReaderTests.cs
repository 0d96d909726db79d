using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Audit;

/// <summary>Keyset paging of the audit log: every entry once, newest first, across ties in time.</summary>
public sealed class AuditLogReaderTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _db = new();

    public async Task InitializeAsync()
    {
        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var start = _db.Time.GetUtcNow().UtcDateTime;
        for (var i = 0; i < 120; i++)
        {
            // Pairs of entries share an instant: the Id breaks the tie.
            db.AuditEntries.Add(new AuditEntry
            {
                OccurredAt = start.AddSeconds(i / 2), Action = i % 3 == 0 ? AuditActions.TokenRevoked : AuditActions.TokenCreated,
                SubjectType = "token", Details = $"entry {i}",
            });
        }
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task OlderLinksWalkEveryEntryOnceNewestFirst()
    {
        await using var scope = _db.Scope();
        var reader = scope.ServiceProvider.GetRequiredService<AuditLogReader>();
        var expected = await scope.ServiceProvider.GetRequiredService<PanelDbContext>().AuditEntries
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.Id).ToListAsync();

        var seen = new List<long>();
        var page = await reader.ReadAsync(null, null, null, pageSize: 50);
        Assert.Null(page.Newer);
        seen.AddRange(page.Rows.Select(r => r.Entry.Id));
        while (page.Older is { } older)
        {
            page = await reader.ReadAsync(null, AuditCursor.Parse(older.ToString()), null, pageSize: 50);
            Assert.NotNull(page.Newer);
            seen.AddRange(page.Rows.Select(r => r.Entry.Id));
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task NewerLinkLeadsBackToThePreviousPage()
    {
        await using var scope = _db.Scope();
        var reader = scope.ServiceProvider.GetRequiredService<AuditLogReader>();
        var first = await reader.ReadAsync(null, null, null, pageSize: 25);
        var second = await reader.ReadAsync(null, first.Older, null, pageSize: 25);
        var back = await reader.ReadAsync(null, null, second.Newer, pageSize: 25);

        Assert.Equal(first.Rows.Select(r => r.Entry.Id), back.Rows.Select(r => r.Entry.Id));
        Assert.Null(back.Newer);
    }

    [Fact]
    public async Task ActionFilterPagesOnlyThatAction()
    {
        await using var scope = _db.Scope();
        var reader = scope.ServiceProvider.GetRequiredService<AuditLogReader>();
        var first = await reader.ReadAsync(AuditActions.TokenRevoked, null, null, pageSize: 30);
        var second = await reader.ReadAsync(AuditActions.TokenRevoked, first.Older, null, pageSize: 30);

        Assert.Equal(30, first.Rows.Count);
        Assert.Equal(10, second.Rows.Count);
        Assert.Null(second.Older);
        Assert.All(first.Rows.Concat(second.Rows), r => Assert.Equal(AuditActions.TokenRevoked, r.Entry.Action));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("99999999999999999999-1")]
    [InlineData("5-")]
    public void GarbledCursorIsNoCursor(string? value) => Assert.Null(AuditCursor.Parse(value));
}

using System.Net;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Account;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Audit;

/// <summary>The audit log page's export: the filtered view, every entry of it, as CSV and JSON lines, for audit readers only.</summary>
public sealed class AuditExportTests : IAsyncLifetime
{
    private readonly PanelAppFactory _app = new();
    private FormClient _auditor = null!;

    public async Task InitializeAsync()
    {
        await using (var scope = _app.Scope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            for (var i = 0; i < 300; i++)
            {
                // Details that need quoting in CSV, and one a spreadsheet would run as a formula.
                audit.Record(null, i % 3 == 0 ? AuditActions.TokenRevoked : AuditActions.TokenCreated, "token", $"t{i}",
                    i == 3 ? "=HYPERLINK(\"x\")" : $"entry {i}, with \"quotes\"\nand a line break");
                _app.Time.Advance(TimeSpan.FromSeconds(1));
            }
            await scope.ServiceProvider.GetRequiredService<PanelDbContext>().SaveChangesAsync();
        }
        var user = await TestUsers.CreateEnrolledUserAsync(_app.Services, "auditor@example.test", PanelRoles.ReadOnly);
        _auditor = new FormClient(_app);
        await AccountHttp.SignInAsync(_auditor, user, _app.Time);
    }

    public async Task DisposeAsync()
    {
        _auditor.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task TheCsvExportHoldsEveryEntryOfTheFilteredViewNewestFirst()
    {
        var response = await _auditor.GetAsync("/audit/export?format=csv&action=token.revoked");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var records = Csv(await response.Content.ReadAsStringAsync());
        Assert.Equal(["id", "occurred_at", "actor_id", "actor_email", "action", "subject_type", "subject_id", "details"], records[0]);
        var expected = await ExpectedAsync(AuditActions.TokenRevoked);
        Assert.Equal(100, expected.Count);
        Assert.Equal(expected.Select(e => e.Id.ToString()), records.Skip(1).Select(r => r[0]));
        Assert.All(records.Skip(1), r => Assert.Equal("token.revoked", r[4]));
        Assert.Equal(expected.Select(e => e.Details == "=HYPERLINK(\"x\")" ? "'" + e.Details : e.Details), records.Skip(1).Select(r => r[7]));
        Assert.Equal(expected[0].OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"), records[1][1]);
    }

    [Fact]
    public async Task TheJsonLinesExportWithoutAFilterHoldsEveryEntry()
    {
        var response = await _auditor.GetAsync("/audit/export?format=jsonl");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jsonl", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = await ExpectedAsync(null);
        Assert.Equal(expected.Select(e => e.Id), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt64()));
        var first = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal((expected[^1].Action, expected[^1].Details, "token"),
            (first.GetProperty("action").GetString(), first.GetProperty("details").GetString(), first.GetProperty("subjectType").GetString()));
        // The auditor's own sign-in is in the log, with their email.
        Assert.Contains(lines, l => l.Contains("\"actorEmail\":\"auditor@example.test\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownFormatOrActionIsAProblemNotAFile()
    {
        var format = await _auditor.GetAsync("/audit/export?format=xlsx");
        var action = await _auditor.GetAsync("/audit/export?format=csv&action=token.nonsense");

        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (format.StatusCode, format.Content.Headers.ContentType?.MediaType));
        Assert.Contains("format-invalid", await format.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, action.StatusCode);
        Assert.Contains("action-invalid", await action.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SomeoneWithoutTheAuditPermissionGetsNoExport()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_app.Services, "no-audit@example.test");
        using var client = new FormClient(_app);
        await AccountHttp.SignInAsync(client, user, _app.Time);
        using var anonymous = new FormClient(_app);

        var refused = await client.GetAsync("/audit/export?format=csv");
        var signedOut = await anonymous.GetAsync("/audit/export?format=csv");

        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain("token.revoked", await refused.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.OK, signedOut.StatusCode);
    }

    private Task<List<AuditEntry>> ExpectedAsync(string? action) => _app.WithDbAsync(db =>
        db.AuditEntries.AsNoTracking().Where(e => action == null || e.Action == action)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).ToListAsync());

    // An RFC 4180 reader: quoted cells may hold commas, doubled quotes and line breaks.
    private static List<string[]> Csv(string text)
    {
        var records = new List<string[]>();
        var record = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { cell.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { record.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(cell.ToString()); cell.Clear(); records.Add([.. record]); record.Clear(); i++;
            }
            else { cell.Append(c); }
        }
        return records;
    }
}

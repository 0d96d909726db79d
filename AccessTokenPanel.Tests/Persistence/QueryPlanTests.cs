using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace AccessTokenPanel.Tests.Persistence;

/// <summary>
/// The list pages read through an index, not a scan of every token or audit entry: each case runs
/// the real reader over a few thousand rows (statistics fresh), captures the SQL it sent, and asks
/// the database for that statement's plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL).
/// Timings at 100,000 tokens are measured in bench/run.sh, not here.
/// </summary>
public class QueryPlanTests : IAsyncLifetime
{
    private const int Users = 100;
    private const int Tokens = 5_000;
    private readonly CommandCapture _capture = new();
    private readonly SqliteTestDatabase _db;
    private string _ownerId = "";
    private readonly DateTime _now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly ITestOutputHelper _output;

    public QueryPlanTests(ITestOutputHelper output) : this(DatabaseProvider.Sqlite, output)
    {
    }

    protected QueryPlanTests(DatabaseProvider provider, ITestOutputHelper output)
    {
        _db = new(provider, _capture);
        _output = output;
    }

    public async Task InitializeAsync()
    {
        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var users = Enumerable.Range(0, Users).Select(i => new PanelUser
        {
            UserName = $"u{i}@example.com", NormalizedUserName = $"U{i}@EXAMPLE.COM", Email = $"u{i}@example.com",
            NormalizedEmail = $"U{i}@EXAMPLE.COM", CreatedAt = _now,
        }).ToList();
        db.Users.AddRange(users);
        AccessToken? parent = null;
        for (var i = 0; i < Tokens; i++)
        {
            var created = _now.AddMinutes(-i);
            // Every fourth token is a short-lived access token exchanged for the one before it, as
            // scripts using the OAuth token endpoint leave them: the parent index then has real statistics.
            var derived = i % 4 == 3 && parent is not null;
            var token = new AccessToken
            {
                Id = Guid.NewGuid(), OwnerId = derived ? parent!.OwnerId : users[i % Users].Id, Name = $"t{i}", ApiType = (ApiType)(i % 3),
                SecretHash = RandomNumberGenerator.GetBytes(32), Hint = "atp_rest_…abcd",
                CreatedAt = created, ExpiresAt = derived ? created.AddHours(1) : created.AddDays(90), RevokedAt = i % 10 == 0 ? created : null,
                Kind = derived ? TokenKind.Access : TokenKind.Standard, ParentTokenId = derived ? parent!.Id : null,
            };
            db.AccessTokens.Add(token);
            parent = derived ? null : token;
            db.AuditEntries.Add(new AuditEntry
            {
                OccurredAt = created, ActorId = users[i % Users].Id, Action = i % 2 == 0 ? AuditActions.TokenCreated : AuditActions.TokenRevoked,
                SubjectType = "token", Details = "",
            });
        }
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
        _ownerId = users[3].Id;
        _capture.Clear();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task OwnTokensPageReadsTheOwnersIndexInOrder()
    {
        await using var scope = _db.Scope();
        await ActivatorUtilities.CreateInstance<TokenListReader>(scope.ServiceProvider)
            .ReadAsync(TokenListState.From(null, null, null, null, 1, null), _ownerId, _now);

        var plan = await PlanOfAsync(c => c.Sql.Contains("LIMIT"));
        // (OwnerId, CreatedAt) or (OwnerId, Name): either reads only this owner's rows.
        AssertUsesIndex(plan, "IX_AccessTokens_OwnerId_");
    }

    [Fact]
    public async Task InventoryPageReadsTheCreatedIndexInsteadOfSortingEveryToken()
    {
        await using var scope = _db.Scope();
        await ActivatorUtilities.CreateInstance<TokenListReader>(scope.ServiceProvider)
            .ReadAsync(TokenListState.From(null, null, null, null, 3, null), null, _now);

        var plan = await PlanOfAsync(c => c.Sql.Contains("LIMIT"));
        AssertUsesIndex(plan, "IX_AccessTokens_CreatedAt_Id");
    }

    [Fact]
    public async Task DerivedTokenSummariesReadTheParentIndex()
    {
        await using var scope = _db.Scope();
        var page = await ActivatorUtilities.CreateInstance<TokenListReader>(scope.ServiceProvider)
            .ReadAsync(TokenListState.From(null, null, null, null, 1, null), null, _now);
        Assert.NotEmpty(page.Rows);

        var plan = await PlanOfAsync(c => c.Sql.Contains("ParentTokenId") && !c.Sql.Contains("LIMIT"));
        AssertUsesIndex(plan, "IX_AccessTokens_ParentTokenId");
    }

    [Fact]
    public async Task ExpiryNoticeScanReadsTheExpiryIndex()
    {
        await using var scope = _db.Scope();
        var scanner = ActivatorUtilities.CreateInstance<ExpiryNoticeScanner>(scope.ServiceProvider,
            Options.Create(new NoticeOptions()), new FakeTimeProvider(new DateTimeOffset(_now.AddDays(60))));
        await scanner.ScanAsync();

        // Each threshold's query, the last one included, reads the live tokens' expiry index.
        var plan = await PlanOfAsync(c => c.Sql.StartsWith("SELECT", StringComparison.Ordinal) && c.Sql.Contains("ExpiryNoticeStage"));
        AssertUsesIndex(plan, "IX_AccessTokens_ExpiresAt");
    }

    [Fact]
    public async Task RestTokenListReadsTheOwnersIndex()
    {
        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        // The query of GET /api/v1/tokens (RestApi.ListTokensAsync).
        await db.AccessTokens.AsNoTracking().Where(t => t.OwnerId == _ownerId).OrderByDescending(t => t.CreatedAt).ToListAsync();

        var plan = await PlanOfAsync(c => c.Sql.Contains("AccessTokens"));
        AssertUsesIndex(plan, "IX_AccessTokens_OwnerId_");
    }

    [Fact]
    public async Task TokenCheckLooksTheHashUpByIndex()
    {
        await using var scope = _db.Scope();
        await scope.ServiceProvider.GetRequiredService<TokenValidator>().ValidateAsync(TokenSecret.Generate(ApiType.Rest), ApiType.Rest);

        var plan = await PlanOfAsync(c => c.Sql.Contains("SecretHash"));
        AssertUsesIndex(plan, "IX_AccessTokens_SecretHash");
    }

    [Fact]
    public async Task AuditPagesAreKeysetReadsOfTheTimeIndexWithoutOffset()
    {
        await using var scope = _db.Scope();
        var reader = scope.ServiceProvider.GetRequiredService<AuditLogReader>();
        var first = await reader.ReadAsync(null, null, null);
        var second = await reader.ReadAsync(null, first.Older, null);
        Assert.Equal(AuditLogReader.DefaultPageSize, second.Rows.Count);

        var commands = _capture.Commands.Where(c => c.Sql.Contains("AuditEntries")).ToList();
        Assert.All(commands, c => Assert.DoesNotContain("OFFSET", c.Sql, StringComparison.OrdinalIgnoreCase));
        AssertUsesIndex(await PlanAsync(commands[^1]), "IX_AuditEntries_OccurredAt_Id");
    }

    [Fact]
    public async Task FilteredAuditPagesReadTheActionIndex()
    {
        await using var scope = _db.Scope();
        var reader = scope.ServiceProvider.GetRequiredService<AuditLogReader>();
        var first = await reader.ReadAsync(AuditActions.TokenRevoked, null, null);
        await reader.ReadAsync(AuditActions.TokenRevoked, first.Older, null);

        var plan = await PlanAsync(_capture.Commands.Last(c => c.Sql.Contains("AuditEntries")));
        AssertUsesIndex(plan, "IX_AuditEntries_Action_OccurredAt_Id");
    }

    private Task<string> PlanOfAsync(Func<CommandCapture.Captured, bool> which) => PlanAsync(_capture.Commands.Last(which));

    private async Task<string> PlanAsync(CommandCapture.Captured command)
    {
        var plan = await ExplainAsync(command);
        _output.WriteLine(command.Sql);
        _output.WriteLine(plan);
        return plan;
    }

    private async Task<string> ExplainAsync(CommandCapture.Captured command)
    {
        await using var scope = _db.Scope();
        var connection = scope.ServiceProvider.GetRequiredService<PanelDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = (_db.Provider == DatabaseProvider.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + command.Sql;
        foreach (var (name, value) in command.Parameters)
        {
            var parameter = explain.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            explain.Parameters.Add(parameter);
        }
        var plan = new StringBuilder();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // SQLite: (id, parent, notused, detail); PostgreSQL: one text column per line.
            plan.AppendLine(reader.GetString(reader.FieldCount - 1));
        }
        return plan.ToString();
    }

    private void AssertUsesIndex(string plan, string index)
    {
        Assert.Contains(index, plan);
        if (_db.Provider == DatabaseProvider.Sqlite)
        {
            // A bare "SCAN t" (no index) reads every row of the table.
            Assert.DoesNotContain(plan.Split('\n'), line => Regex.IsMatch(line.Trim(), @"^SCAN \S+$"));
        }
        else
        {
            Assert.DoesNotContain("Seq Scan on \"AccessTokens\"", plan);
            Assert.DoesNotContain("Seq Scan on \"AuditEntries\"", plan);
        }
    }
}

[PostgreSqlCases]
public sealed class QueryPlanOnPostgreSqlTests(ITestOutputHelper output) : QueryPlanTests(DatabaseProvider.PostgreSql, output);

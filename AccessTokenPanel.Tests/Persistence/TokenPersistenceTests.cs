using System.Text;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Persistence;

public class TokenPersistenceTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _db;

    public TokenPersistenceTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same cases on another provider (see Persistence/PostgreSqlSuites.cs).</summary>
    protected TokenPersistenceTests(DatabaseProvider provider) => _db = new(provider);
    private string _ownerId = "";

    public async Task InitializeAsync() =>
        _ownerId = (await _db.AddUserAsync("owner@example.com", PanelRoles.SuperAdministrator)).Id;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<IssueTokenResult> IssueAsync(string name, ApiType api = ApiType.Rest, int days = 30)
    {
        await using var scope = _db.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenIssuer>().IssueAsync(new IssueTokenRequest(
            _ownerId, name, api, api == ApiType.Configuration ? PanelRoles.SuperAdministrator : null, TokenExpiry.InDays(days)));
        Assert.True(result.Succeeded, result.ToString());
        return result;
    }

    [Fact]
    public async Task IssuedTokenStillValidatesAfterTheAppsContextIsReopened()
    {
        var issued = await IssueAsync("survives");
        await _db.ReopenAsync();

        await using var scope = _db.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenValidator>().ValidateAsync(issued.Secret, ApiType.Rest);
        Assert.Equal(TokenValidationStatus.Valid, result.Status);
        Assert.Equal("survives", result.Token!.Name);
        Assert.Equal(DateTimeKind.Utc, result.Token.ExpiresAt.Kind);
        Assert.Equal(issued.Token!.ExpiresAt, result.Token.ExpiresAt);
    }

    [Fact]
    public async Task DatabaseFileHoldsNoSecret()
    {
        var secrets = new List<string>();
        foreach (var api in ApiTypes.All)
        {
            secrets.Add((await IssueAsync($"t-{api}", api)).Secret!);
        }
        await _db.ReopenAsync();

        var dump = new StringBuilder();
        if (_db.Provider == DatabaseProvider.Sqlite)
        {
            // Every byte the database keeps: main file plus write-ahead log and shared memory.
            foreach (var path in Directory.GetFiles(Path.GetDirectoryName(_db.FilePath)!, "panel.db*"))
            {
                dump.Append(Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path)));
            }
        }
        // And the logical dump: every value of every table of the model, as text.
        await using var scope = _db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var table in context.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct())
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    dump.Append(reader.IsDBNull(i) ? "" : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(i).ToString()).Append('|');
                }
            }
        }

        var text = dump.ToString();
        Assert.Contains("t-Rest", text); // the dump really covers the tokens
        foreach (var secret in secrets)
        {
            var prefix = TokenSecret.PrefixOf(TokenSecret.Check(secret, out var api) == TokenFormatCheck.WellFormed ? api!.Value : ApiType.Rest);
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(secret.Substring(prefix.Length, 16), text);
        }
    }

    [Fact]
    public async Task ExpiryQueriesAndSortingTranslate()
    {
        await IssueAsync("late", days: 300);
        await IssueAsync("soon", days: 3);
        await IssueAsync("middle", days: 60);
        _db.Time.Advance(TimeSpan.FromDays(5));

        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var now = _db.Time.GetUtcNow().UtcDateTime;
        var active = await db.AccessTokens.Where(t => t.ExpiresAt > now).OrderBy(t => t.ExpiresAt).Select(t => t.Name).ToListAsync();
        Assert.Equal(["middle", "late"], active);
    }

    [Fact]
    public async Task EmailLookUpIgnoresCase()
    {
        // PostgreSQL compares text case-sensitively: Identity's normalized columns keep look-ups case-blind.
        await _db.AddUserAsync("Mixed.Case@Example.com");
        await using var scope = _db.Scope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Domain.Users.PanelUser>>();
        var found = await users.FindByEmailAsync("mixed.case@EXAMPLE.COM");
        Assert.Equal("Mixed.Case@Example.com", found?.Email);
    }
}

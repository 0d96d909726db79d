using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>Filtering, sorting and paging of the token list, translated and run by SQLite.</summary>
public class TokenListReaderTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _db;

    public TokenListReaderTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same cases on another provider (see Persistence/PostgreSqlSuites.cs).</summary>
    protected TokenListReaderTests(DatabaseProvider provider) => _db = new(provider);
    private string _owner = "";
    private string _other = "";

    public async Task InitializeAsync()
    {
        _owner = (await _db.AddUserAsync("Owner@Example.com", Domain.Permissions.PanelRoles.UserAdministrator)).Id;
        _other = (await _db.AddUserAsync("someone.else@example.com")).Id;
        await ScreenTestData.IssueAsync(_db.Services, _owner, "alpha", ApiType.Rest, 90);
        await ScreenTestData.IssueAsync(_db.Services, _owner, "bravo", ApiType.Scim, 10);
        var expired = await ScreenTestData.IssueAsync(_db.Services, _owner, "charlie", ApiType.Rest, 30);
        var revoked = await ScreenTestData.IssueAsync(_db.Services, _owner, "delta", ApiType.Rest, 60);
        await ScreenTestData.IssueAsync(_db.Services, _other, "echo", ApiType.Rest, 30);
        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var now = Now;
        (await db.AccessTokens.SingleAsync(t => t.Id == expired.Id)).ExpiresAt = now.AddDays(-1);
        (await db.AccessTokens.SingleAsync(t => t.Id == revoked.Id)).RevokedAt = now;
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private DateTime Now => _db.Time.GetUtcNow().UtcDateTime;

    [Theory]
    [InlineData(null, "alpha,bravo,charlie")]
    [InlineData("active", "alpha,bravo")]
    [InlineData("expired", "charlie")]
    [InlineData("revoked", "delta")]
    [InlineData("all", "alpha,bravo,charlie,delta")]
    public async Task RevokedTokensAreHiddenUnlessTheStatusFilterAsksForThem(string? status, string names)
    {
        var page = await ReadAsync(TokenListState.From(status, null, "name", "asc", 1, null), _owner);

        Assert.Equal(names, string.Join(",", page.Rows.Select(r => r.Token.Name)));
    }

    [Fact]
    public async Task TheApiFilterKeepsOnlyThatApi()
    {
        var page = await ReadAsync(TokenListState.From(null, "scim", null, null, 1, null), _owner);

        Assert.Equal(["bravo"], page.Rows.Select(r => r.Token.Name));
    }

    [Theory]
    [InlineData("expires", "asc", "charlie,bravo,alpha")]
    [InlineData("expires", "desc", "alpha,bravo,charlie")]
    [InlineData("name", "desc", "charlie,bravo,alpha")]
    [InlineData("api", "asc", "alpha,charlie,bravo")]
    public async Task SortingFollowsTheQuery(string sort, string dir, string names)
    {
        var page = await ReadAsync(TokenListState.From(null, null, sort, dir, 1, null), _owner);

        Assert.Equal(names, string.Join(",", page.Rows.Select(r => r.Token.Name)));
    }

    /// <summary>alpha used yesterday, bravo 100 days ago, charlie never (same order on every provider, whatever its NULL order).</summary>
    private async Task SetLastUseAsync()
    {
        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        (await db.AccessTokens.SingleAsync(t => t.Name == "alpha")).LastUsedAt = Now.AddDays(-1);
        (await db.AccessTokens.SingleAsync(t => t.Name == "bravo")).LastUsedAt = Now.AddDays(-100);
        await db.SaveChangesAsync();
    }

    [Theory]
    [InlineData("asc", "charlie,bravo,alpha")]
    [InlineData("desc", "alpha,bravo,charlie")]
    public async Task SortingByLastUsedPutsNeverUsedTokensFirstWhenOldestFirstAndLastOtherwise(string dir, string names)
    {
        await SetLastUseAsync();

        var page = await ReadAsync(TokenListState.From(null, null, "lastused", dir, 1, null), _owner);

        Assert.Equal(names, string.Join(",", page.Rows.Select(r => r.Token.Name)));
    }

    [Theory]
    [InlineData("never", "charlie")]
    [InlineData("idle90", "bravo,charlie")]
    [InlineData("bogus", "alpha,bravo,charlie")]
    public async Task TheUsageFilterFindsTokensNobodyUses(string usage, string names)
    {
        await SetLastUseAsync();

        var page = await ReadAsync(TokenListState.From(null, null, "name", "asc", 1, null, usage), _owner);

        Assert.Equal(names, string.Join(",", page.Rows.Select(r => r.Token.Name)));
    }

    [Fact]
    public async Task TheInventoryListsEveryOwnerAndFiltersByEmailIgnoringCase()
    {
        var all = await ReadAsync(TokenListState.From(null, null, "name", "asc", 1, null), ownerId: null);
        Assert.Equal("alpha,bravo,charlie,echo", string.Join(",", all.Rows.Select(r => r.Token.Name)));
        Assert.Equal("someone.else@example.com", all.Rows.Single(r => r.Token.Name == "echo").OwnerEmail);

        var filtered = await ReadAsync(TokenListState.From(null, null, "name", "asc", 1, "owner@EXAMPLE"), ownerId: null);
        Assert.Equal("alpha,bravo,charlie", string.Join(",", filtered.Rows.Select(r => r.Token.Name)));
    }

    [Fact]
    public async Task PagesHoldTwentyAndAPageBeyondTheLastShowsTheLast()
    {
        for (var i = 0; i < 22; i++)
        {
            await ScreenTestData.IssueAsync(_db.Services, _other, $"bulk {i:00}");
        }

        var first = await ReadAsync(TokenListState.From(null, null, "name", "asc", 1, null), _other);
        var beyond = await ReadAsync(TokenListState.From(null, null, "name", "asc", 9, null), _other);

        Assert.Equal(23, first.Total);
        Assert.Equal(20, first.Rows.Count);
        Assert.Equal(2, first.PageCount);
        Assert.Equal(2, beyond.Page);
        Assert.Equal(["bulk 20", "bulk 21", "echo"], beyond.Rows.Select(r => r.Token.Name));
    }

    [Fact]
    public async Task MatchesAreCountedUpToTheLimitAndPagedNoFurther()
    {
        await using (var scope = _db.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
            var now = Now;
            db.AccessTokens.AddRange(Enumerable.Range(0, TokenListReader.CountLimit + 5).Select(i => new AccessToken
            {
                Id = Guid.NewGuid(), OwnerId = _other, Name = $"bulk {i:0000}", ApiType = ApiType.Rest,
                SecretHash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), Hint = "atp_rest_…",
                CreatedAt = now, ExpiresAt = now.AddDays(30), Kind = TokenKind.Standard,
            }));
            await db.SaveChangesAsync();
        }

        var first = await ReadAsync(TokenListState.From(null, null, "name", "asc", 1, null), ownerId: null);
        var beyond = await ReadAsync(TokenListState.From(null, null, "name", "asc", 80, null), ownerId: null);
        var own = await ReadAsync(TokenListState.From(null, null, "name", "asc", 1, null), _owner);

        Assert.True(first.MoreThanTotal);
        Assert.Equal(TokenListReader.CountLimit, first.Total);
        Assert.Equal(TokenListReader.CountLimit / TokenListState.PageSize, first.PageCount);
        Assert.Equal(first.PageCount, beyond.Page);
        Assert.Equal(TokenListState.PageSize, beyond.Rows.Count);
        Assert.False(own.MoreThanTotal);
        Assert.Equal(3, own.Total);
    }

    [Fact]
    public async Task ExchangedAccessTokensAreNoRowsOfTheirOwnButASummaryUnderTheirParent()
    {
        var alpha = await FindAsync("alpha");
        await DeriveAsync(alpha, TimeSpan.FromMinutes(30));
        await DeriveAsync(alpha, TimeSpan.FromMinutes(52));
        var expired = await DeriveAsync(alpha, TimeSpan.FromMinutes(5));
        _db.Time.Advance(TimeSpan.FromMinutes(10));

        var own = await ReadAsync(TokenListState.From("all", null, "name", "asc", 1, null), _owner);
        var inventory = await ReadAsync(TokenListState.From("all", null, "name", "asc", 1, null), ownerId: null);

        Assert.Equal("alpha,bravo,charlie,delta", string.Join(",", own.Rows.Select(r => r.Token.Name)));
        Assert.Equal(4, own.Total);
        Assert.Equal(5, inventory.Total);
        Assert.DoesNotContain(inventory.Rows, r => r.Token.Kind == TokenKind.Access || r.Token.Id == expired.Id);
        var summary = own.Rows.Single(r => r.Token.Name == "alpha").Derived;
        Assert.NotNull(summary);
        Assert.Equal(2, summary.ActiveCount);
        Assert.Equal(Now.AddMinutes(42), summary.LatestExpiresAt);
        Assert.All(own.Rows.Where(r => r.Token.Name != "alpha"), r => Assert.Null(r.Derived));
    }

    [Fact]
    public async Task RevokingTheParentTakesItsSummaryAway()
    {
        var alpha = await FindAsync("alpha");
        await DeriveAsync(alpha, TimeSpan.FromMinutes(60));
        await using (var scope = _db.Scope())
        {
            await scope.ServiceProvider.RevokeAsAsync(alpha.Id, _owner);
        }

        var page = await ReadAsync(TokenListState.From("all", null, "name", "asc", 1, null), _owner);

        Assert.Null(page.Rows.Single(r => r.Token.Name == "alpha").Derived);
        Assert.Equal(4, page.Total);
    }

    [Fact]
    public async Task DeleteAllCountsLongLivedTokensOnly()
    {
        await DeriveAsync(await FindAsync("alpha"), TimeSpan.FromMinutes(60));

        await using var scope = _db.Scope();
        var live = await ActivatorUtilities.CreateInstance<TokenListReader>(scope.ServiceProvider).CountLiveAsync(_owner);

        Assert.Equal(3, live);
    }

    private async Task<AccessToken> FindAsync(string name)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<PanelDbContext>().AccessTokens.AsNoTracking().SingleAsync(t => t.Name == name);
    }

    private Task<AccessToken> DeriveAsync(AccessToken parent, TimeSpan lifetime) => ScreenTestData.DeriveAsync(_db.Services, parent, lifetime);

    [Fact]
    public void UnknownQueryValuesFallBackToTheDefaults()
    {
        var state = TokenListState.From("bogus", "soap", "secret", "sideways", -3, "  ");

        Assert.Equal(TokenListState.From(null, null, null, null, null, null), state);
        Assert.Equal("tokens", state.Href("tokens"));
    }

    private async Task<TokenPage> ReadAsync(TokenListState state, string? ownerId)
    {
        await using var scope = _db.Scope();
        return await ActivatorUtilities.CreateInstance<TokenListReader>(scope.ServiceProvider).ReadAsync(state, ownerId, Now);
    }
}

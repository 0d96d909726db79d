using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Tokens;

public class TokenRevokerTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _db;

    public TokenRevokerTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same cases on another provider (see Persistence/PostgreSqlSuites.cs).</summary>
    protected TokenRevokerTests(DatabaseProvider provider) => _db = new(provider);
    private string _aliceId = "";
    private string _bobId = "";
    private string _policyAdminId = "";

    public async Task InitializeAsync()
    {
        _aliceId = (await _db.AddUserAsync("alice@example.com", PanelRoles.ReadOnly)).Id;
        _bobId = (await _db.AddUserAsync("bob@example.com", PanelRoles.ReadOnly)).Id;
        _policyAdminId = (await _db.AddUserAsync("policy@example.com", PanelRoles.TokenPolicyAdministrator)).Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<AccessToken> IssueAsync(string ownerId, string name, Guid? parent = null)
    {
        await using var scope = _db.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenIssuer>().IssueAsync(
            new IssueTokenRequest(ownerId, name, ApiType.Rest, null, TokenExpiry.InDays(30), parent));
        Assert.True(result.Succeeded, result.ToString());
        return result.Token!;
    }

    private async Task<RevokeOutcome> RevokeAsync(Guid id, string actorId)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.RevokeAsAsync(id, actorId);
    }

    private async Task<AccessToken> LoadAsync(Guid id)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<PanelDbContext>().AccessTokens.AsNoTracking().SingleAsync(t => t.Id == id);
    }

    [Fact]
    public async Task OwnerRevokesOwnTokenOnceAndItIsAudited()
    {
        var token = await IssueAsync(_aliceId, "mine");
        _db.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(RevokeOutcome.Revoked, await RevokeAsync(token.Id, _aliceId));
        Assert.Equal(RevokeOutcome.AlreadyRevoked, await RevokeAsync(token.Id, _aliceId));

        var stored = await LoadAsync(token.Id);
        Assert.Equal(_db.Time.GetUtcNow().UtcDateTime, stored.RevokedAt);
        Assert.Equal(_aliceId, stored.RevokedById);
        Assert.Equal(TokenStatus.Revoked, stored.StatusAt(_db.Time.GetUtcNow().UtcDateTime));

        await using var scope = _db.Scope();
        var revocations = await scope.ServiceProvider.GetRequiredService<PanelDbContext>().AuditEntries
            .Where(e => e.Action == AuditActions.TokenRevoked).ToListAsync();
        var entry = Assert.Single(revocations);
        Assert.Equal(_aliceId, entry.ActorId);
        Assert.Equal(token.Id.ToString(), entry.SubjectId);
    }

    [Fact]
    public async Task TwentyParallelRevokesOfOneTokenRevokeItOnceWithOneAuditEntry()
    {
        var parent = await IssueAsync(_aliceId, "parallel");
        var child = await IssueAsync(_aliceId, "child", parent.Id);
        var alice = Actor.Session(_aliceId, Actor.NoPermissions, enrolled: true);
        var outcomes = await TwentyAtOnceAsync(async revoker => (await revoker.RevokeAsync(alice, parent.Id)).Value);

        Assert.Equal(1, outcomes.Count(o => o == RevokeOutcome.Revoked));
        Assert.All(outcomes.Where(o => o != RevokeOutcome.Revoked), o => Assert.Equal(RevokeOutcome.AlreadyRevoked, o));
        await using var check = _db.Scope();
        var entries = await check.ServiceProvider.GetRequiredService<PanelDbContext>().AuditEntries
            .Where(e => e.Action == AuditActions.TokenRevoked).Select(e => e.SubjectId).ToListAsync();
        Assert.Equal(new[] { child.Id.ToString(), parent.Id.ToString() }.Order(), entries.Order());
        Assert.NotNull((await LoadAsync(child.Id)).RevokedAt);
    }

    [Fact]
    public async Task TwentyParallelLeakReportsOfOneTokenRevokeItOnceWithOneNotice()
    {
        var parent = await IssueAsync(_aliceId, "leaked");
        var child = await IssueAsync(_aliceId, "issued with it", parent.Id);
        var sighting = LeakSighting.Create("https://github.com/octo/repo/blob/abc/.env", "commit");
        // A scanner retrying, or several instances each handling a copy: the database decides who revokes.
        var outcomes = await TwentyAtOnceAsync(revoker => revoker.RevokeLeakedAsync(parent.Id, sighting));

        Assert.Equal(1, outcomes.Count(o => o == RevokeOutcome.Revoked));
        Assert.All(outcomes.Where(o => o != RevokeOutcome.Revoked), o => Assert.Equal(RevokeOutcome.AlreadyRevoked, o));
        await using var check = _db.Scope();
        var db = check.ServiceProvider.GetRequiredService<PanelDbContext>();
        var notice = await db.TokenNotices.SingleAsync();
        Assert.Equal((parent.Id, NoticeKind.Leaked, NoticeBoard.LeakedKey, "https://github.com/octo/repo/blob/abc/.env"),
            (notice.TokenId, notice.Kind, notice.Key, notice.Details));
        var revocations = await db.AuditEntries.Where(e => e.Action == AuditActions.TokenRevoked).ToListAsync();
        Assert.Equal(new[] { child.Id.ToString(), parent.Id.ToString() }.Order(), revocations.Select(e => e.SubjectId).Order());
        Assert.All(revocations, e => Assert.Null(e.ActorId));
        Assert.Equal(20, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.TokenLeakReported && e.SubjectId == parent.Id.ToString()));
        var stored = await LoadAsync(child.Id);
        Assert.NotNull(stored.RevokedAt);
        Assert.Null(stored.RevokedById);
    }

    [Fact]
    public async Task ALeakReportOfATokenRevokedBeforeIsAuditedWithoutANotice()
    {
        var token = await IssueAsync(_aliceId, "revoked first");
        Assert.Equal(RevokeOutcome.Revoked, await RevokeAsync(token.Id, _aliceId));

        RevokeOutcome outcome;
        await using (var scope = _db.Scope())
        {
            outcome = await scope.ServiceProvider.GetRequiredService<TokenRevoker>()
                .RevokeLeakedAsync(token.Id, LeakSighting.Create(null, "npm"));
        }

        Assert.Equal(RevokeOutcome.AlreadyRevoked, outcome);
        await using var check = _db.Scope();
        var db = check.ServiceProvider.GetRequiredService<PanelDbContext>();
        Assert.False(await db.TokenNotices.AnyAsync());
        var reported = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.TokenLeakReported);
        Assert.Contains("found in npm, no URL given", reported.Details);
        Assert.Contains("already revoked", reported.Details);
        Assert.Equal(_aliceId, (await LoadAsync(token.Id)).RevokedById);
    }

    [Fact]
    public async Task SomeoneElsesTokenLooksLikeNoTokenAndStaysActive()
    {
        var token = await IssueAsync(_aliceId, "mine");

        Assert.Equal(RevokeOutcome.NotFound, await RevokeAsync(token.Id, _bobId));
        Assert.Null((await LoadAsync(token.Id)).RevokedAt);
        Assert.Equal(RevokeOutcome.NotFound, await RevokeAsync(Guid.NewGuid(), _aliceId));
    }

    [Fact]
    public async Task HolderOfRevokeAllPermissionRevokesTheTokenOfSomeoneTheyDoNotOutrank()
    {
        var carolId = (await _db.AddUserAsync("carol@example.com")).Id;
        var token = await IssueAsync(carolId, "mine");
        Assert.Equal(RevokeOutcome.Revoked, await RevokeAsync(token.Id, _policyAdminId));
        Assert.Equal(_policyAdminId, (await LoadAsync(token.Id)).RevokedById);
    }

    [Fact]
    public async Task HolderOfRevokeAllPermissionCannotRevokeTheTokenOfSomeoneWhoOutranksThem()
    {
        // Alice (Read Only) holds users.read, which a Token Policy Administrator does not: the rank rule.
        var token = await IssueAsync(_aliceId, "mine");
        await using var scope = _db.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenRevoker>()
            .RevokeAsync(await scope.ServiceProvider.SessionAsync(_policyAdminId), token.Id);

        Assert.Equal(AuthorizationErrors.OutrankedCode, result.Error.Code);
        Assert.Null((await LoadAsync(token.Id)).RevokedAt);
    }

    [Fact]
    public async Task RevokingATokenRevokesTheTokensIssuedWithIt()
    {
        var parent = await IssueAsync(_aliceId, "parent");
        var child = await IssueAsync(_aliceId, "child", parent.Id);
        var grandchild = await IssueAsync(_aliceId, "grandchild", child.Id);
        var unrelated = await IssueAsync(_aliceId, "unrelated");

        Assert.Equal(RevokeOutcome.Revoked, await RevokeAsync(parent.Id, _aliceId));

        Assert.NotNull((await LoadAsync(child.Id)).RevokedAt);
        Assert.NotNull((await LoadAsync(grandchild.Id)).RevokedAt);
        Assert.Null((await LoadAsync(unrelated.Id)).RevokedAt);
    }

    [Fact]
    public async Task RevokeAllTakesEveryLiveTokenOfThatOwnerOnly()
    {
        await IssueAsync(_aliceId, "one");
        await IssueAsync(_aliceId, "two");
        var bobs = await IssueAsync(_bobId, "bobs");

        int count;
        await using (var scope = _db.Scope())
        {
            count = await scope.ServiceProvider.GetRequiredService<TokenRevoker>().RevokeAllAsync(_aliceId, _aliceId);
        }

        Assert.Equal(2, count);
        Assert.Null((await LoadAsync(bobs.Id)).RevokedAt);
        await using var check = _db.Scope();
        Assert.True(await check.ServiceProvider.GetRequiredService<PanelDbContext>().AccessTokens
            .Where(t => t.OwnerId == _aliceId).AllAsync(t => t.RevokedAt != null));
    }

    [Fact]
    public async Task ObserversHearWhichTokensWereRevoked()
    {
        var observer = new RecordingObserver();
        var parent = await IssueAsync(_aliceId, "parent");
        var child = await IssueAsync(_aliceId, "child", parent.Id);

        await using (var scope = _db.Scope())
        {
            var revoker = ActivatorUtilities.CreateInstance<TokenRevoker>(scope.ServiceProvider, (IEnumerable<ITokenRevocationObserver>)[observer]);
            await revoker.RevokeAsync(Actor.Session(_aliceId, Actor.NoPermissions, enrolled: true), parent.Id);
        }

        Assert.Equal(new[] { parent.Id, child.Id }.Order(), observer.Revoked.Order());
    }

    private sealed class RecordingObserver : ITokenRevocationObserver
    {
        public List<Guid> Revoked { get; } = [];

        public void OnRevoked(IReadOnlyCollection<Guid> tokenIds) => Revoked.AddRange(tokenIds);
    }

    /// <summary>20 requests, each with its own scope (context, connection), released at once.</summary>
    private async Task<RevokeOutcome[]> TwentyAtOnceAsync(Func<TokenRevoker, Task<RevokeOutcome>> revoke)
    {
        using var start = new ManualResetEventSlim();
        var requests = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await using var scope = _db.Scope();
            var revoker = scope.ServiceProvider.GetRequiredService<TokenRevoker>();
            start.Wait();
            return await revoke(revoker);
        })).ToList();
        start.Set();
        return await Task.WhenAll(requests);
    }
}

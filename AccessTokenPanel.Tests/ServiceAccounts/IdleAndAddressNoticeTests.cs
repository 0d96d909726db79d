using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.ServiceAccounts;

/// <summary>
/// Idle revocation and the new-address notice, with the app's clock moved (FakeTimeProvider): a
/// notice a week before, a revocation only after it, a use in between voids it; a new client
/// address tells the owner at most once per token and hour.
/// </summary>
public class IdleAndAddressNoticeTests(DatabaseProvider provider = DatabaseProvider.Sqlite) : IAsyncLifetime
{
    private readonly ApiAppFactory _app = provider == DatabaseProvider.PostgreSql ? new Persistence.PostgreSqlApiAppFactory() : new ApiAppFactory();

    public Task InitializeAsync() => Task.CompletedTask;
    Task IAsyncLifetime.DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task SetRestIdleDaysAsync(string adminId, int days)
    {
        await using var scope = _app.Scope();
        var saved = await scope.ServiceProvider.GetRequiredService<TokenPolicies>().SaveAsync(await scope.ServiceProvider.SessionAsync(adminId),
            new TokenPolicyChange(ApiType.Rest, null, null, true, false, days, null, false));
        Assert.True(saved.Succeeded, saved.ToString());
    }

    private async Task<(int Noticed, int Revoked)> ScanAsync()
    {
        await using var scope = _app.Scope();
        return await scope.ServiceProvider.GetRequiredService<IdleTokenScanner>().ScanAsync();
    }

    private async Task UseAsync(string name, params string[] addresses)
    {
        var id = await _app.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == name).Select(t => t.Id).SingleAsync());
        var counts = new TokenUsageCounts();
        foreach (var address in addresses)
        {
            counts.CountUse(id, _app.Time.GetUtcNow().UtcDateTime, address);
        }
        await using var scope = _app.Scope();
        await scope.ServiceProvider.GetRequiredService<TokenUsageHistory>().WriteAsync(counts.Drain());
        var now = _app.Time.GetUtcNow().UtcDateTime;
        await _app.WithDbAsync(db => db.AccessTokens.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now)));
    }

    [Fact]
    public async Task AnUnusedTokenIsRevokedAWeekAfterItsNoticeAndAUsedOneIsNot()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(_app.Services, "idle-admin@example.com", PanelRoles.SuperAdministrator);
        await _app.IssueTokenAsync(admin.Id, ApiType.Rest, days: 365, name: "forgotten");
        await _app.IssueTokenAsync(admin.Id, ApiType.Rest, days: 365, name: "busy");
        await _app.IssueTokenAsync(admin.Id, ApiType.Scim, days: 365, name: "other api");
        await SetRestIdleDaysAsync(admin.Id, 30);

        _app.Time.Advance(TimeSpan.FromDays(23) - TimeSpan.FromMinutes(1));
        Assert.Equal((0, 0), await ScanAsync());

        _app.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal((2, 0), await ScanAsync());
        Assert.Equal((0, 0), await ScanAsync());
        var told = await _app.WithDbAsync(db => db.TokenNotices.Where(n => n.Kind == NoticeKind.IdleSoon).Select(n => n.TokenName).OrderBy(n => n).ToListAsync());
        Assert.Equal(["busy", "forgotten"], told);

        // "busy" is used after its notice: it is not revoked when the week is over.
        _app.Time.Advance(TimeSpan.FromDays(3));
        await UseAsync("busy", "10.0.0.1");
        _app.Time.Advance(TimeSpan.FromDays(4) - TimeSpan.FromMinutes(2));
        Assert.Equal((0, 0), await ScanAsync());
        _app.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal((0, 1), await ScanAsync());

        var states = await _app.WithDbAsync(db => db.AccessTokens.OrderBy(t => t.Name).Select(t => new { t.Name, Revoked = t.RevokedAt != null }).ToListAsync());
        Assert.Equal([("busy", false), ("forgotten", true), ("other api", false)], states.Select(s => (s.Name, s.Revoked)));
        Assert.True(await _app.WithDbAsync(db => db.TokenNotices.AnyAsync(n => n.Kind == NoticeKind.IdleRevoked && n.TokenName == "forgotten")));
        Assert.True(await _app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Details.Contains("not used for 30 days") && e.ActorId == null)));
    }

    [Fact]
    public async Task AServiceAccountTokensExpiryIsToldToEachActiveOwnerNotToTheAccount()
    {
        var first = await TestUsers.CreateEnrolledUserAsync(_app.Services, "first-owner@example.com", PanelRoles.SuperAdministrator);
        var second = await TestUsers.CreateEnrolledUserAsync(_app.Services, "second-owner@example.com", PanelRoles.ReadOnly);
        string accountId;
        await using (var scope = _app.Scope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<Domain.ServiceAccounts.ServiceAccounts>();
            var actor = await scope.ServiceProvider.SessionAsync(first.Id);
            var created = await accounts.CreateAsync(actor, new Domain.ServiceAccounts.NewServiceAccount("exporter", null, PanelRoles.ReadOnly));
            accountId = created.Value!.Id;
            Assert.True((await accounts.AddOwnerAsync(actor, accountId, second.Email)).Succeeded);
        }
        await _app.IssueTokenAsync(accountId, ApiType.Rest, days: 5, name: "nightly");

        _app.Time.Advance(TimeSpan.FromDays(4.5));
        await using (var scope = _app.Scope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<ExpiryNoticeScanner>().ScanAsync());
        }

        var told = await _app.WithDbAsync(db => db.TokenNotices.Where(n => n.Kind == NoticeKind.ExpiresSoon).Select(n => n.OwnerId).ToListAsync());
        Assert.Equal(new[] { first.Id, second.Id }.Order(), told.Order());
    }

    [Fact]
    public async Task ANewClientAddressTellsTheOwnerAtMostOncePerHour()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(_app.Services, "addresses@example.com");
        await _app.IssueTokenAsync(owner.Id, ApiType.Rest, name: "watched");

        // The very first use is not news; a second address is.
        await UseAsync("watched", "192.0.2.1");
        await UseAsync("watched", "192.0.2.1");
        Assert.Equal(0, await _app.WithDbAsync(db => db.TokenNotices.CountAsync(n => n.Kind == NoticeKind.NewAddress)));
        await UseAsync("watched", "198.51.100.7");
        _app.Time.Advance(TimeSpan.FromMinutes(10));
        await UseAsync("watched", "203.0.113.9");
        var notices = await _app.WithDbAsync(db => db.TokenNotices.Where(n => n.Kind == NoticeKind.NewAddress).ToListAsync());
        var notice = Assert.Single(notices);
        Assert.Equal(owner.Id, notice.OwnerId);
        Assert.Contains("198.51.100.7", NoticeText.Body(notice));

        // An hour later, another new address is news again; a known one is not.
        _app.Time.Advance(TimeSpan.FromHours(1));
        await UseAsync("watched", "192.0.2.1");
        Assert.Equal(1, await _app.WithDbAsync(db => db.TokenNotices.CountAsync(n => n.Kind == NoticeKind.NewAddress)));
        await UseAsync("watched", "2001:db8::1");
        Assert.Equal(2, await _app.WithDbAsync(db => db.TokenNotices.CountAsync(n => n.Kind == NoticeKind.NewAddress)));
    }
}

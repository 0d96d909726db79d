using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Notices;

/// <summary>Expiry notices: raised at each threshold once, across restarts and with two instances on one database.</summary>
public class ExpiryNoticeTests(DatabaseProvider provider = DatabaseProvider.Sqlite)
{
    private NoticeApp NewApp(NoticeApp? shareWith = null) => new(provider, shareWith);

    [Fact]
    public async Task EachThresholdAndTheExpiryRaiseOneNoticeAsTheClockMoves()
    {
        await using var app = NewApp();
        var owner = await TestUsers.CreateEnrolledUserAsync(app.Services, "owner@example.test");
        var token = await app.IssueAsync(owner.Id, days: 60, name: "Deploy bot");

        await app.ScanAsync();
        Assert.Empty(await app.NoticesAsync());

        app.MoveTo(token, TimeSpan.FromDays(30).Add(TimeSpan.FromSeconds(1)));
        await app.ScanAsync();
        Assert.Empty(await app.NoticesAsync());

        app.MoveTo(token, TimeSpan.FromDays(30));
        await app.ScanAsync();
        await app.ScanAsync();
        Assert.Equal(["expires-30d"], (await app.NoticesAsync()).Select(n => n.Key));

        app.MoveTo(token, TimeSpan.FromDays(6.5));
        await app.ScanAsync();
        app.MoveTo(token, TimeSpan.FromHours(23));
        await app.ScanAsync();
        await app.ScanAsync();
        app.MoveTo(token, TimeSpan.Zero);
        await app.ScanAsync();
        await app.ScanAsync();

        var notices = await app.NoticesAsync();
        Assert.Equal(["expires-30d", "expires-7d", "expires-1d", "expired"], notices.Select(n => n.Key));
        Assert.Equal([NoticeKind.ExpiresSoon, NoticeKind.ExpiresSoon, NoticeKind.ExpiresSoon, NoticeKind.Expired], notices.Select(n => n.Kind));
        Assert.Equal([30, 7, 1, (int?)null], notices.Select(n => n.ThresholdDays));
        Assert.All(notices, n => Assert.Equal((token.Id, owner.Id, "Deploy bot"), (n.TokenId, n.OwnerId, n.TokenName)));
        Assert.Equal("Access token 'Deploy bot' expires in 7 days", NoticeText.Title(notices[1]));
        // No channel is configured here: the notices are in the panel only.
        Assert.Empty(await app.DeliveriesAsync());
    }

    [Fact]
    public async Task ATokenIsOnlyToldAboutThresholdsItLivedThrough()
    {
        await using var app = NewApp();
        var owner = await TestUsers.CreateEnrolledUserAsync(app.Services, "owner@example.test");
        var fiveDays = await app.IssueAsync(owner.Id, days: 5);

        await app.ScanAsync();
        Assert.Empty(await app.NoticesAsync());

        app.MoveTo(fiveDays, TimeSpan.FromHours(12));
        await app.ScanAsync();
        Assert.Equal(["expires-1d"], (await app.NoticesAsync()).Select(n => n.Key));
    }

    [Fact]
    public async Task TokensThatLiveADayOrLessGetNoNotices()
    {
        await using var app = NewApp();
        var owner = await TestUsers.CreateEnrolledUserAsync(app.Services, "owner@example.test");
        var oneDay = await app.IssueAsync(owner.Id, days: 1);

        await app.ScanAsync();
        app.MoveTo(oneDay, TimeSpan.Zero);
        await app.ScanAsync();
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.ScanAsync();

        Assert.Empty(await app.NoticesAsync());
    }

    [Fact]
    public async Task RevokedAndRotatedTokensAreNotToldTheyExpireButTheReplacementIs()
    {
        await using var app = NewApp();
        var owner = await TestUsers.CreateEnrolledUserAsync(app.Services, "owner@example.test");
        var revoked = await app.IssueAsync(owner.Id, days: 60);
        var rotated = await app.IssueAsync(owner.Id, days: 60);
        await using (var scope = app.Scope())
        {
            Assert.Equal(RevokeOutcome.Revoked, await scope.ServiceProvider.RevokeAsAsync(revoked.Id, owner.Id));
        }
        app.MoveTo(rotated, TimeSpan.FromDays(10));
        AccessToken replacement;
        await using (var scope = app.Scope())
        {
            var actor = await scope.ServiceProvider.SessionAsync(owner.Id, owner.CodeAt(app.Time.GetUtcNow()));
            var result = await scope.ServiceProvider.GetRequiredService<TokenRotator>().RotateAsync(actor, rotated.Id, overlapMinutes: 60);
            Assert.True(result.Succeeded, result.ToString());
            replacement = result.NewToken!;
        }

        await app.ScanAsync();
        app.Time.Advance(TimeSpan.FromHours(2));
        await app.ScanAsync();
        Assert.Empty(await app.NoticesAsync());

        app.MoveTo(replacement, TimeSpan.FromDays(7));
        await app.ScanAsync();
        Assert.Equal([(replacement.Id, "expires-7d")], (await app.NoticesAsync()).Select(n => (n.TokenId, n.Key)));
    }

    [Fact]
    public async Task ANoticeIsRaisedOnceAcrossARestart()
    {
        var first = NewApp();
        var owner = await TestUsers.CreateEnrolledUserAsync(first.Services, "owner@example.test");
        var token = await first.IssueAsync(owner.Id, days: 60);
        first.MoveTo(token, TimeSpan.FromDays(20));
        await first.ScanAsync();
        Assert.Single(await first.NoticesAsync());

        await using var second = NewApp(shareWith: first);
        first.HandDatabaseTo(second);
        await first.DisposeAsync();
        await second.ScanAsync();
        second.Time.Advance(TimeSpan.FromDays(1));
        await second.ScanAsync();

        Assert.Equal(["expires-30d"], (await second.NoticesAsync()).Select(n => n.Key));
    }

    [Fact]
    public async Task TwoInstancesScanningAtOnceRaiseEachNoticeOnce()
    {
        await using var first = NewApp();
        var owner = await TestUsers.CreateEnrolledUserAsync(first.Services, "owner@example.test");
        var tokens = new List<AccessToken>();
        for (var i = 0; i < 12; i++)
        {
            tokens.Add(await first.IssueAsync(owner.Id, days: 60));
        }
        await using var second = NewApp(shareWith: first);
        _ = second.Services;

        foreach (var stage in new[] { 30, 7, 1, 0 })
        {
            first.MoveTo(tokens[^1], TimeSpan.FromDays(stage));
            second.Time.SetUtcNow(first.Time.GetUtcNow());
            await Task.WhenAll(first.ScanAsync(), second.ScanAsync(), first.ScanAsync(), second.ScanAsync());
        }

        var notices = await first.NoticesAsync();
        Assert.Equal(tokens.Count * 4, notices.Count);
        Assert.All(notices.GroupBy(n => n.TokenId), perToken =>
            Assert.Equal(["expired", "expires-1d", "expires-30d", "expires-7d"], perToken.Select(n => n.Key).Order()));
        Assert.Equal(notices.Count, notices.Select(n => (n.TokenId, n.Key)).Distinct().Count());
    }
}

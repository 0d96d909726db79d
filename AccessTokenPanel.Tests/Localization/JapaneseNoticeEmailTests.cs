using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Notices;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Localization;

/// <summary>Notice emails speak the recipient's language: the one on their profile, English without one.</summary>
public sealed class JapaneseNoticeEmailTests
{
    [Fact]
    public async Task AnOwnerWhoChoseJapaneseGetsTheExpiryEmailInJapaneseAndTheOthersInEnglish()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var app = new NoticeApp(smtp: smtp);
        var hanako = await TestUsers.CreateEnrolledUserAsync(app.Services, "hanako@example.test");
        var dana = await TestUsers.CreateEnrolledUserAsync(app.Services, "dana@example.test");
        await app.WithDbAsync(db => db.Users.Where(u => u.Id == hanako.Id).ExecuteUpdateAsync(set => set.SetProperty(u => u.PreferredLanguage, "ja")));
        var japanese = await app.IssueAsync(hanako.Id, days: 90, name: "夜間エクスポート");
        var english = await app.IssueAsync(dana.Id, days: 90, name: "Nightly export");

        app.MoveTo(japanese, TimeSpan.FromDays(7));
        await app.ScanAsync();
        await app.DispatchAsync();

        var mails = smtp.Messages();
        var toHanako = Assert.Single(mails, m => m.To.Mailboxes.Single().Address == "hanako@example.test");
        Assert.Equal("アクセストークン「夜間エクスポート」の有効期限まであと 7 日です", toHanako.Subject);
        Assert.StartsWith("hanako@example.test 様", toHanako.TextBody);
        Assert.Contains($"REST API のトークン「夜間エクスポート」（{japanese.Hint}）は {japanese.ExpiresAt:yyyy/MM/dd HH:mm} UTC に有効期限が切れます。", toHanako.TextBody);
        Assert.Contains("トークンのシークレットが含まれることはありません。", toHanako.TextBody);

        var toDana = Assert.Single(mails, m => m.To.Mailboxes.Single().Address == "dana@example.test");
        Assert.Equal("Access token 'Nightly export' expires in 7 days", toDana.Subject);
        Assert.StartsWith("Hello dana@example.test,", toDana.TextBody);
        Assert.Contains(english.ExpiresAt.ToString("yyyy-MM-dd HH:mm"), toDana.TextBody);
    }
}

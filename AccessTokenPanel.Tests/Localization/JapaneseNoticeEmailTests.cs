using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Notices;
using AccessTokenPanel.Web.Notices;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Localization;

/// <summary>Notice emails speak the recipient's language: the one on their profile, English without one.</summary>
public sealed partial class JapaneseNoticeEmailTests
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

    /// <summary>The details as the Domain writes them for each kind (TokenRequests, TokenIssuer, StepUpVerifier, IdleTokenScanner...).</summary>
    private static readonly Dictionary<NoticeKind, string?> DetailsOf = new()
    {
        [NoticeKind.ExpiresSoon] = null,
        [NoticeKind.Expired] = null,
        [NoticeKind.Leaked] = "https://example.test/leak",
        [NoticeKind.StepUpLocked] = "Too many wrong authentication codes were sent with this token; codes sent with it are refused until 2026-12-07 10:15 UTC.",
        [NoticeKind.Created] = "by user u-42 via Configuration API token 0190 for service account 'exporter'",
        [NoticeKind.NewAddress] = "203.0.113.9",
        [NoticeKind.IdleSoon] = "2026-12-21",
        [NoticeKind.IdleRevoked] = "90",
        [NoticeKind.RequestDecided] = "denied: 本番では使わないため",
        [NoticeKind.RequestWaiting] = "Configuration API token requested by user u-42 with role Read Only",
        [NoticeKind.AccountOwnerless] = null,
    };

    [Fact]
    public void EveryNoticeKindReadsInJapaneseAndEnglishStaysTheDomainsText()
    {
        var problems = new List<string>();
        foreach (var kind in Enum.GetValues<NoticeKind>())
        {
            if (!DetailsOf.TryGetValue(kind, out var details))
            {
                problems.Add($"{kind}: this test has no details for it yet");
                continue;
            }
            var notice = new TokenNotice
            {
                OwnerId = "u-1", Kind = kind, Key = "k", ThresholdDays = 7, TokenName = "夜間エクスポート", ApiType = ApiType.Configuration,
                TokenHint = "atp_c_…1a2b", TokenExpiresAt = new DateTime(2026, 12, 14, 9, 0, 0, DateTimeKind.Utc), Details = details,
            };
            TestCulture.Run("ja", () =>
            {
                foreach (var (part, words, english) in new[]
                         {
                             ("title", NoticeWords.Title(notice), NoticeText.Title(notice)),
                             ("body", NoticeWords.Body(notice), NoticeText.Body(notice)),
                         })
                {
                    // English words left in a Japanese notice (API and role names stay English on purpose).
                    var leftover = EnglishWords().Matches(words.Replace("Configuration API", "", StringComparison.Ordinal)
                        .Replace("Read Only", "", StringComparison.Ordinal)).Select(m => m.Value).ToList();
                    // What the details name (where it leaked, from which address, the reason given) is kept.
                    var named = part == "body" && kind is NoticeKind.Leaked or NoticeKind.NewAddress ? details! : "夜間エクスポート";
                    if (words == english || leftover.Count > 0 || !words.Contains("夜間エクスポート", StringComparison.Ordinal)
                        || !words.Contains(named, StringComparison.Ordinal))
                    {
                        problems.Add($"{kind} {part} in Japanese: \"{words}\"");
                    }
                }
            });
            TestCulture.Run("en", () =>
            {
                Assert.Equal(NoticeText.Title(notice), NoticeWords.Title(notice));
                Assert.Equal(NoticeText.Body(notice), NoticeWords.Body(notice));
            });
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [GeneratedRegex(@"\b(?:token|was|the|has|your|by|for|denied|approved|until)\b", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishWords();
}

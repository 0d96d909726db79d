using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Tokens.Screens;
using AccessTokenPanel.Web.Hosting;
using AccessTokenPanel.Web.Notices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Notices;

/// <summary>
/// The app with notices driven by the test: the worker's timers are an hour apart, so scans and
/// deliveries happen when the test calls them (as the timer would), on the clock the test moves.
/// Several instances may share one database (<paramref name="shareWith"/>).
/// </summary>
public sealed class NoticeApp : ApiAppFactory
{
    public NoticeApp(DatabaseProvider provider = DatabaseProvider.Sqlite, NoticeApp? shareWith = null,
        SmtpSink? smtp = null, WebhookReceiver? webhook = null, string? webhookSecret = null)
    {
        Provider = provider;
        Settings["Notices:ScanInterval"] = "01:00:00";
        Settings["Notices:DispatchInterval"] = "01:00:00";
        if (shareWith is not null)
        {
            if (provider == DatabaseProvider.PostgreSql)
            {
                PostgreSqlConnectionString = shareWith.PostgreSqlConnectionString;
                OwnsDatabase = false;
            }
            else
            {
                Settings["Database:ConnectionString"] = $"Data Source={shareWith.DatabasePath};Pooling=False";
            }
            // One clock for the instances, as one wall clock for servers.
            Time.SetUtcNow(shareWith.Time.GetUtcNow());
        }
        if (smtp is not null)
        {
            Settings["Notices:Email:Host"] = "127.0.0.1";
            Settings["Notices:Email:Port"] = smtp.Port.ToString();
            Settings["Notices:Email:Security"] = "None";
            Settings["Notices:Email:From"] = "AccessTokenPanel <panel@example.test>";
        }
        if (webhook is not null)
        {
            Settings["Notices:Webhook:Url"] = webhook.Url.ToString();
            Settings["Notices:Webhook:Secret"] = webhookSecret ?? "a-webhook-secret-of-some-length";
        }
    }

    public Task ScanAsync() => Services.GetRequiredService<NoticeWorker>().ScanAsync(CancellationToken.None);

    public Task DispatchAsync() => Services.GetRequiredService<NoticeWorker>().DispatchAsync(CancellationToken.None);

    public Task<List<TokenNotice>> NoticesAsync() =>
        WithDbAsync(db => db.TokenNotices.AsNoTracking().OrderBy(n => n.CreatedAt).ThenBy(n => n.Key).ToListAsync());

    public Task<List<NoticeDelivery>> DeliveriesAsync() =>
        WithDbAsync(db => db.NoticeDeliveries.AsNoTracking().OrderBy(d => d.CreatedAt).ThenBy(d => d.Channel).ToListAsync());

    public Task<AccessToken> IssueAsync(string ownerId, int days, string? name = null) =>
        ScreenTestData.IssueAsync(Services, ownerId, name ?? $"Token {Guid.NewGuid():N}"[..20], ApiType.Rest, days);

    /// <summary>Moves the clock to <paramref name="before"/> ahead of the token's expiry.</summary>
    public void MoveTo(AccessToken token, TimeSpan before) => Time.SetUtcNow(token.ExpiresAt - before);
}

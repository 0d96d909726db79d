using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using AccessTokenPanel.Web.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Notices;

/// <summary>Notices leave the panel by email (a real SMTP server) and by a signed webhook (a real HTTP endpoint).</summary>
public class NoticeDeliveryTests(DatabaseProvider provider = DatabaseProvider.Sqlite)
{
    private const string Secret = "whsec-0123456789abcdef";

    [Fact]
    public async Task AnExpiryNoticeReachesTheOwnerByEmailOnce()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var app = new NoticeApp(provider, smtp: smtp);
        var owner = await TestUsers.CreateEnrolledUserAsync(app.Services, "dana@example.test");
        var token = await app.IssueAsync(owner.Id, days: 90, name: "Nightly export");

        app.MoveTo(token, TimeSpan.FromDays(7));
        await app.ScanAsync();
        await app.DispatchAsync();
        await app.DispatchAsync();

        var mail = Assert.Single(smtp.Messages());
        Assert.Equal("dana@example.test", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("panel@example.test", Assert.Single(mail.From.Mailboxes).Address);
        Assert.Equal("Access token 'Nightly export' expires in 7 days", mail.Subject);
        Assert.Contains(token.Hint, mail.TextBody);
        Assert.Contains(token.ExpiresAt.ToString("yyyy-MM-dd HH:mm"), mail.TextBody);
        var delivery = Assert.Single(await app.DeliveriesAsync());
        Assert.Equal((NoticeChannel.Email, DeliveryStatus.Delivered, 1, "dana@example.test"),
            (delivery.Channel, delivery.Status, delivery.Attempts, delivery.Target));
    }

    [Fact]
    public async Task TheWebhookGetsASignedNoticeAndIsRetriedWithBackoffUntilItAnswers()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var app = new NoticeApp(provider, webhook: hook, webhookSecret: Secret);
        var owner = await TestUsers.CreateEnrolledUserAsync(app.Services, "erin@example.test");
        var token = await app.IssueAsync(owner.Id, days: 90, name: "CI runner");
        hook.AnswerStatus = 503;

        app.MoveTo(token, TimeSpan.FromDays(30));
        await app.ScanAsync();
        Assert.Single(hook.Requests);
        var failed = Assert.Single(await app.DeliveriesAsync());
        Assert.Equal((DeliveryStatus.Pending, 1), (failed.Status, failed.Attempts));
        Assert.Contains("503", failed.LastError);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime.AddMinutes(1), failed.NextAttemptAt);

        // Not due yet: nothing is sent.
        app.Time.Advance(TimeSpan.FromSeconds(59));
        await app.DispatchAsync();
        Assert.Single(hook.Requests);

        app.Time.Advance(TimeSpan.FromSeconds(1));
        await app.DispatchAsync();
        Assert.Equal(2, hook.Requests.Count);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime.AddMinutes(4), Assert.Single(await app.DeliveriesAsync()).NextAttemptAt);

        hook.AnswerStatus = 204;
        app.Time.Advance(TimeSpan.FromMinutes(4));
        await app.DispatchAsync();
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.DispatchAsync();

        Assert.Equal(3, hook.Requests.Count);
        var delivered = Assert.Single(await app.DeliveriesAsync());
        Assert.Equal((DeliveryStatus.Delivered, 3), (delivered.Status, delivered.Attempts));
        var requests = hook.Requests.ToArray();
        // Every attempt is the same delivery, signed with the shared secret over the exact body.
        Assert.All(requests, r =>
        {
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), r.Body)),
                r.Headers[WebhookNoticeChannel.SignatureHeader]);
            Assert.Equal(delivered.Id.ToString(), r.Headers[WebhookNoticeChannel.DeliveryHeader]);
            Assert.Equal("token.expiring", r.Headers[WebhookNoticeChannel.EventHeader]);
        });
        using var json = JsonDocument.Parse(requests[^1].Body);
        Assert.Equal("token.expiring", json.RootElement.GetProperty("event").GetString());
        Assert.Equal(30, json.RootElement.GetProperty("thresholdDays").GetInt32());
        Assert.Equal(token.Id, json.RootElement.GetProperty("token").GetProperty("id").GetGuid());
        Assert.Equal("CI runner", json.RootElement.GetProperty("token").GetProperty("name").GetString());
        Assert.Equal("erin@example.test", json.RootElement.GetProperty("owner").GetProperty("email").GetString());
    }

    [Fact]
    public async Task ADeliveryThatNeverSucceedsIsMarkedFailedAfterTheLastAttempt()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var app = new NoticeApp(provider, webhook: hook);
        app.Settings["Notices:MaxAttempts"] = "3";
        var owner = await TestUsers.CreateEnrolledUserAsync(app.Services, "fay@example.test");
        var token = await app.IssueAsync(owner.Id, days: 90);
        hook.AnswerStatus = 500;

        app.MoveTo(token, TimeSpan.FromDays(1));
        await app.ScanAsync();
        for (var i = 0; i < 5; i++)
        {
            app.Time.Advance(NoticeOptions.MaxRetryDelay);
            await app.DispatchAsync();
        }

        Assert.Equal(3, hook.Requests.Count);
        var delivery = Assert.Single(await app.DeliveriesAsync());
        Assert.Equal((DeliveryStatus.Failed, 3), (delivery.Status, delivery.Attempts));
    }

    [Fact]
    public async Task TwoInstancesDispatchingAtOnceSendEachDeliveryOnce()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var smtp = await SmtpSink.StartAsync();
        await using var first = new NoticeApp(provider, smtp: smtp, webhook: hook);
        var owner = await TestUsers.CreateEnrolledUserAsync(first.Services, "gus@example.test");
        var tokens = new List<Domain.Tokens.AccessToken>();
        for (var i = 0; i < 8; i++)
        {
            tokens.Add(await first.IssueAsync(owner.Id, days: 60));
        }
        await using var second = new NoticeApp(provider, shareWith: first, smtp: smtp, webhook: hook);
        _ = second.Services;
        first.MoveTo(tokens[^1], TimeSpan.FromDays(7));
        second.Time.SetUtcNow(first.Time.GetUtcNow());
        await using (var scope = first.Scope())
        {
            // Raise without sending, so that the two dispatchers race for the same deliveries.
            await scope.ServiceProvider.GetRequiredService<ExpiryNoticeScanner>().ScanAsync();
        }

        await Task.WhenAll(first.DispatchAsync(), second.DispatchAsync(), first.DispatchAsync(), second.DispatchAsync());

        Assert.Equal(8, hook.Requests.Count);
        Assert.Equal(8, hook.Requests.Select(r => r.Headers[WebhookNoticeChannel.DeliveryHeader]).Distinct().Count());
        Assert.Equal(8, smtp.Messages().Count);
        Assert.All(await first.DeliveriesAsync(), d => Assert.Equal((DeliveryStatus.Delivered, 1), (d.Status, d.Attempts)));
    }
}

using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Web.Hosting;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AccessTokenPanel.Web.Notices;

/// <summary>Sends a notice to its token's owner by SMTP (MailKit), one connection per message.</summary>
public sealed class EmailNoticeChannel(IOptions<EmailNoticeOptions> options, IOptions<PublicOriginOptions> origin) : INoticeChannel
{
    public NoticeChannel Channel => NoticeChannel.Email;

    public bool IsEnabled => options.Value.IsEnabled;

    public string? TargetFor(NoticeMessage message) =>
        MailboxAddress.TryParse(message.OwnerEmail ?? "", out _) ? message.OwnerEmail : null;

    public async Task<DeliveryAttempt> SendAsync(NoticeMessage message, Guid deliveryId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(settings.From!));
        mail.To.Add(new MailboxAddress(message.OwnerName, message.OwnerEmail ?? ""));
        // In the owner's language (their profile's choice), English when they made none.
        using var language = NoticeWords.InLanguage(message.OwnerLanguage);
        mail.Subject = NoticeWords.Title(message.Notice);
        // The delivery id as Message-ID: a retry after a lost acknowledgement is the same message.
        mail.MessageId = $"{deliveryId:N}@accesstokenpanel";
        var link = NoticeLinks.TokenPage(origin.Value, message.Notice);
        mail.Body = new TextPart("plain")
        {
            Text = NoticeWords.Email(message, link),
        };

        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, settings.Security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            }
            await client.SendAsync(mail, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return DeliveryAttempt.Success;
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException
                                       or ServiceNotAuthenticatedException or MailKit.Security.AuthenticationException
                                       or System.Net.Sockets.SocketException or IOException or TimeoutException
                                       or MailKit.Security.SslHandshakeException)
        {
            return DeliveryAttempt.Failure($"SMTP {settings.Host}:{settings.Port}: {ex.Message}");
        }
    }
}

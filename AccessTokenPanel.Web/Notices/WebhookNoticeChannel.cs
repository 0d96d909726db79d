using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Hosting;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Notices;

/// <summary>
/// POSTs each notice as JSON to the operator's webhook, signed like GitHub's webhooks:
/// <c>X-AccessTokenPanel-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body with the shared secret&gt;</c>.
/// Any 2xx is delivered; anything else, or no answer, is retried by the dispatcher.
/// </summary>
public sealed class WebhookNoticeChannel(
    IHttpClientFactory clients, IOptions<WebhookNoticeOptions> options, IOptions<PublicOriginOptions> origin) : INoticeChannel
{
    public const string HttpClientName = "notice-webhook";
    public const string SignatureHeader = "X-AccessTokenPanel-Signature-256";
    public const string EventHeader = "X-AccessTokenPanel-Event";
    public const string DeliveryHeader = "X-AccessTokenPanel-Delivery";

    public NoticeChannel Channel => NoticeChannel.Webhook;

    public bool IsEnabled => options.Value.IsEnabled;

    public string? TargetFor(NoticeMessage message) => options.Value.Uri?.GetLeftPart(UriPartial.Path);

    public async Task<DeliveryAttempt> SendAsync(NoticeMessage message, Guid deliveryId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var notice = message.Notice;
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            delivery = deliveryId,
            @event = NoticeText.EventName(notice.Kind),
            notice = notice.Id,
            occurredAt = notice.CreatedAt,
            title = NoticeText.Title(notice),
            message = NoticeText.Body(notice),
            thresholdDays = notice.ThresholdDays,
            reportUrl = notice.Kind == NoticeKind.Leaked ? notice.Details : null,
            token = new
            {
                id = notice.TokenId,
                name = notice.TokenName,
                api = notice.ApiType.DisplayName(),
                hint = notice.TokenHint,
                expiresAt = notice.TokenExpiresAt,
                url = NoticeLinks.TokenPage(origin.Value, notice),
            },
            owner = new { id = notice.OwnerId, email = message.OwnerEmail, name = message.OwnerName },
        }, JsonSerializerOptions.Web);

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, Sign(body, settings.Secret!));
        request.Headers.Add(EventHeader, NoticeText.EventName(notice.Kind));
        request.Headers.Add(DeliveryHeader, deliveryId.ToString());

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode
                ? DeliveryAttempt.Success
                : DeliveryAttempt.Failure($"The webhook answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryAttempt.Failure($"The webhook did not answer within {settings.Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException ex)
        {
            return DeliveryAttempt.Failure($"The webhook could not be reached: {ex.Message}");
        }
    }

    /// <summary>The signature header's value for a body: <c>sha256=</c> and the lower-case hex HMAC.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}

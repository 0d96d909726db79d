using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Web.Notices;

namespace AccessTokenPanel.Web.Audit;

/// <summary>
/// POSTs audit entries in batches as JSON, signed like the notice webhook:
/// <c>X-AccessTokenPanel-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>. Any 2xx
/// delivers the whole batch; anything else, or no answer, is retried with the same entries.
/// Receivers drop repeats by the entries' <c>id</c>.
/// </summary>
public sealed class WebhookAuditSink(string name, AuditSinkSettings settings, IHttpClientFactory clients) : IAuditSink
{
    public const string HttpClientName = "audit-webhook";
    public const string EventName = "audit.entries";

    public string Name => name;

    private Uri Uri => new(settings.Url!.Trim(), UriKind.Absolute);

    public string Describe() => $"Webhook to {Uri.GetLeftPart(UriPartial.Path)}, signed (X-AccessTokenPanel-Signature-256)";

    public async Task<AuditSinkResult> SendAsync(IReadOnlyList<AuditRow> entries, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("sink", name);
            json.WriteStartArray("entries");
            foreach (var row in entries)
            {
                AuditJson.Write(json, row.Entry, row.ActorEmail);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        var body = buffer.WrittenMemory.ToArray();

        using var request = new HttpRequestMessage(HttpMethod.Post, Uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookNoticeChannel.SignatureHeader, WebhookNoticeChannel.Sign(body, settings.Secret!));
        request.Headers.Add(WebhookNoticeChannel.EventHeader, EventName);
        request.Headers.Add(WebhookNoticeChannel.DeliveryHeader, $"{name}:{entries[0].Entry.Id}-{entries[^1].Entry.Id}");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode
                ? AuditSinkResult.All(entries.Count)
                : AuditSinkResult.Failure(0, $"The webhook answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AuditSinkResult.Failure(0, $"The webhook did not answer within {settings.Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException ex)
        {
            return AuditSinkResult.Failure(0, $"The webhook could not be reached: {ex.Message}");
        }
    }
}

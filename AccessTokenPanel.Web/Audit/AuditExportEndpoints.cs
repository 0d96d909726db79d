using System.Buffers;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Components.Account;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AccessTokenPanel.Web.Audit;

/// <summary>
/// <c>GET /audit/export?format=csv|jsonl&amp;action=...</c>: the audit log page's view (all entries,
/// or one action), newest first, as CSV or JSON lines. Rows are written as the query yields them,
/// so an export of a large log holds one row in memory, not the log.
/// </summary>
public static class AuditExportEndpoints
{
    public const string Path = "/audit/export";

    // Flushed every so many rows, so a long export reaches the client while it is read.
    private const int FlushEvery = 200;

    private static readonly string[] Columns = ["id", "occurred_at", "actor_id", "actor_email", "action", "subject_type", "subject_id", "details"];

    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, ExportAsync)
            .RequireAuthorization(Permission.AuditRead)
            .Performs(Operations.ReadAudit);
        return endpoints;
    }

    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportAsync(
        HttpContext http, string? format, string? action, AuditLogReader reader, PermissionResolver permissions, TimeProvider time)
    {
        var kind = format?.Trim().ToLowerInvariant() switch
        {
            "csv" => "csv",
            "jsonl" or "ndjson" => "jsonl",
            _ => null,
        };
        if (kind is null)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "format-invalid", "Unknown export format",
                $"format must be csv or jsonl (got '{format}').");
        }
        if (action is not null && !AuditActions.All.Contains(action))
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "action-invalid", "Unknown audit action",
                $"'{action}' is not an audit action; leave action out to export every entry.");
        }

        var actorId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var actor = Actor.Session(actorId, await permissions.GetPermissionsAsync(actorId), PanelClaims.IsEnrolled(http.User),
            via: $"from {ClientAddress.TextOf(http)}");
        var rows = await reader.ExportAsync(actor, action, http.RequestAborted);
        if (!rows.Succeeded)
        {
            return ApiProblems.From(rows.Errors);
        }

        http.Response.Headers.CacheControl = "no-store";
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var name = $"audit-{(action is null ? "" : action.Replace('.', '-') + "-")}{stamp}.{kind}";
        return kind == "csv"
            ? TypedResults.Stream(body => WriteCsvAsync(body, rows.Value!, http.RequestAborted), "text/csv; charset=utf-8", name)
            : TypedResults.Stream(body => WriteJsonLinesAsync(body, rows.Value!, http.RequestAborted), "application/jsonl; charset=utf-8", name);
    }

    internal static async Task WriteCsvAsync(Stream body, IAsyncEnumerable<AuditRow> rows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', Columns));
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            var e = row.Entry;
            await writer.WriteLineAsync(string.Join(',',
                e.Id.ToString(CultureInfo.InvariantCulture), Iso(e.OccurredAt), Cell(e.ActorId), Cell(row.ActorEmail),
                Cell(e.Action), Cell(e.SubjectType), Cell(e.SubjectId), Cell(e.Details)));
            if (++count % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        await writer.FlushAsync(cancellationToken);
    }

    internal static async Task WriteJsonLinesAsync(Stream body, IAsyncEnumerable<AuditRow> rows, CancellationToken cancellationToken)
    {
        var count = 0;
        // Each line is formatted in memory (the response allows no synchronous writes), then sent.
        var line = new ArrayBufferWriter<byte>(1024);
        await using var json = new Utf8JsonWriter(line);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            line.ResetWrittenCount();
            json.Reset(line);
            AuditJson.Write(json, row.Entry, row.ActorEmail);
            json.Flush();
            line.Write("\n"u8);
            await body.WriteAsync(line.WrittenMemory, cancellationToken);
            if (++count % FlushEvery == 0)
            {
                await body.FlushAsync(cancellationToken);
            }
        }
        await body.FlushAsync(cancellationToken);
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // RFC 4180 quoting; a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading
    // apostrophe (OWASP's advice for CSV injection): audit details quote what users typed.
    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}

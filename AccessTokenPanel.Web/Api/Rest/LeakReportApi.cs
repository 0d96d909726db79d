using AccessTokenPanel.Domain.Authorization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Api.Rest;

/// <summary>One reported secret as GitHub's secret scanning partner program sends it.</summary>
public sealed record LeakReportEntry(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("source")] string? Source);

/// <summary>
/// The partner program's feedback for one secret: the token as the reporter sent it, its type, and
/// <c>true_positive</c> or <c>false_positive</c>. Nothing else about the token is told.
/// </summary>
public sealed record LeakReportLabel(
    [property: JsonPropertyName("token_raw")] string TokenRaw,
    [property: JsonPropertyName("token_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenType,
    [property: JsonPropertyName("label")] string Label)
{
    public const string TruePositive = "true_positive";
    public const string FalsePositive = "false_positive";
}

/// <summary>
/// <c>POST /api/v1/leaks</c>: a secret scanner (GitHub's partner program) reports secrets it found in
/// public. No bearer token: the report's signature is its credential, so it is checked over the raw
/// bytes before anything is parsed, and a report that is unsigned or signed by a key we do not trust
/// changes nothing and learns nothing about our tokens.
/// </summary>
internal static class LeakReportApi
{
    public static void MapLeakReportApi(this RouteGroupBuilder api)
    {
        api.MapPost("/leaks", ReportAsync).WithName("ReportLeakedTokens").WithTags("Secret scanning").Performs(Operations.RevokeLeakedToken)
            .AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimitPolicies.LeakReports)
            .Accepts<List<LeakReportEntry>>("application/json")
            .WithSummary("Secret scanning (GitHub's partner program format): revokes each reported secret that is one of our tokens and tells its owner. " +
                $"Signed with {LeakReportSignature.KeyIdentifierHeader} and {LeakReportSignature.SignatureHeader}; answers each secret as true_positive or false_positive.");
    }

    private static async Task<Results<Ok<List<LeakReportLabel>>, ProblemHttpResult>> ReportAsync(
        HttpContext http, LeakReportSignature signature, IOptions<LeakReportOptions> options, LeakReportHandler handler,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // The answer repeats the secrets the reporter sent.
        http.Response.Headers.CacheControl = "no-store";
        var logger = loggers.CreateLogger(typeof(LeakReportApi).FullName!);
        var keyIdentifier = http.Request.Headers[LeakReportSignature.KeyIdentifierHeader].ToString();
        var signatureText = http.Request.Headers[LeakReportSignature.SignatureHeader].ToString();

        // Who sent it is known from the headers alone (or not at all): refuse before reading a body.
        var headers = signature.CheckHeaders(keyIdentifier, signatureText);
        if (headers != LeakReportSignatureCheck.Valid)
        {
            return Refuse(headers, keyIdentifier, logger, http);
        }
        var limits = options.Value;
        var body = await ReadBodyAsync(http.Request, limits.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "leak-report-too-large", "Report too large",
                $"A leak report may be at most {limits.MaxBodyBytes} bytes: send the secrets in several reports.");
        }
        var verified = signature.Verify(keyIdentifier, signatureText, body);
        if (verified != LeakReportSignatureCheck.Valid)
        {
            return Refuse(verified, keyIdentifier, logger, http);
        }

        var (entries, problem) = Parse(body);
        if (entries is null)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "leak-report-invalid", "The report could not be read", problem!);
        }
        if (entries.Count > limits.MaxSecrets)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "leak-report-too-many", "Too many secrets",
                $"A leak report may carry at most {limits.MaxSecrets} secrets (this one has {entries.Count}): send them in several reports.");
        }

        var labels = await handler.HandleAsync(entries.Select(e => new LeakedSecret(e.Token, e.Url, e.Source)).ToList(), cancellationToken);
        var truePositives = labels.Count(l => l == LeakLabel.TruePositive);
        // Counts only: the secrets themselves never reach the log.
        logger.Log(truePositives > 0 ? LogLevel.Warning : LogLevel.Information,
            "Leak report signed with key {KeyIdentifier}: {Secrets} secrets, {TruePositives} of them ours (revoked, owners told)",
            keyIdentifier.Trim(), entries.Count, truePositives);
        return TypedResults.Ok(entries.Zip(labels, (entry, label) => new LeakReportLabel(
            entry.Token, entry.Type, label == LeakLabel.TruePositive ? LeakReportLabel.TruePositive : LeakReportLabel.FalsePositive)).ToList());
    }

    // A refusal says what was wrong with the signature (all public facts) and nothing about tokens.
    // 403, not 401: there is no HTTP authentication scheme to challenge with (401 requires WWW-Authenticate).
    private static ProblemHttpResult Refuse(LeakReportSignatureCheck check, string keyIdentifier, ILogger logger, HttpContext http)
    {
        logger.LogWarning("Leak report from {Address} refused: {Check} (key identifier '{KeyIdentifier}')",
            ClientAddress.TextOf(http), check, keyIdentifier.Length > 100 ? keyIdentifier[..100] : keyIdentifier);
        return check switch
        {
            LeakReportSignatureCheck.NoKeys => ApiProblems.Problem(StatusCodes.Status403Forbidden, "leak-reports-disabled", "Leak reports are not accepted",
                $"This panel trusts no secret scanner yet: its operator lists the scanner's public keys in {LeakReportOptions.Section}:{nameof(LeakReportOptions.PublicKeys)}."),
            LeakReportSignatureCheck.Missing => ApiProblems.Problem(StatusCodes.Status403Forbidden, "leak-report-unsigned", "Unsigned report",
                $"Sign the report: send {LeakReportSignature.KeyIdentifierHeader} and {LeakReportSignature.SignatureHeader} (an ECDSA P-256 SHA-256 signature of the body, base64)."),
            LeakReportSignatureCheck.UnknownKey => ApiProblems.Problem(StatusCodes.Status403Forbidden, "leak-report-key-unknown", "Unknown signing key",
                $"The key named in {LeakReportSignature.KeyIdentifierHeader} is not one this panel trusts."),
            _ => ApiProblems.Problem(StatusCodes.Status403Forbidden, "leak-report-signature-invalid", "Bad signature",
                $"{LeakReportSignature.SignatureHeader} is not a valid signature of this body by the named key."),
        };
    }

    /// <summary>The raw body, or null when it is longer than <paramref name="maxBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>A JSON array of objects with a string <c>token</c>; <c>type</c>, <c>url</c> and <c>source</c> are optional strings, other members are ignored.</summary>
    private static (List<LeakReportEntry>? Entries, string? Problem) Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ApiJson.DocumentOptions);
        }
        catch (JsonException ex)
        {
            return (null, $"The body is not valid JSON: {ex.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (null, "The body must be a JSON array of {\"token\", \"type\", \"url\", \"source\"} objects.");
            }
            var entries = new List<LeakReportEntry>(document.RootElement.GetArrayLength());
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    return (null, $"[{index}] must be an object.");
                }
                if (!TryString(element, "token", out var token, out var problem) || token is null)
                {
                    return (null, problem is null ? $"[{index}].token is missing." : $"[{index}]{problem}");
                }
                if (!TryString(element, "type", out var type, out problem)
                    || !TryString(element, "url", out var url, out problem)
                    || !TryString(element, "source", out var source, out problem))
                {
                    return (null, $"[{index}]{problem}");
                }
                entries.Add(new LeakReportEntry(token, type, url, source));
                index++;
            }
            return (entries, null);
        }
    }

    /// <summary>An absent or null member is null; a string is read; anything else (or a lone surrogate) is a problem.</summary>
    private static bool TryString(JsonElement element, string name, out string? value, out string? problem)
    {
        value = null;
        problem = null;
        if (!element.TryGetProperty(name, out var member) || member.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (member.ValueKind != JsonValueKind.String)
        {
            problem = $".{name} must be a string.";
            return false;
        }
        try
        {
            value = member.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            problem = $".{name} is not valid Unicode (a lone UTF-16 surrogate such as \\ud800).";
            return false;
        }
    }
}

using System.Data.Common;
using System.Globalization;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Components.Errors;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Diagnostics;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>
/// A request that fails because the database cannot be used answers 503 with Retry-After: a problem
/// (or SCIM error) on the APIs, a plain "database not reachable" page on screens. The failed unit of
/// work was never committed, so nothing is half-written; the connection pool is cleared so that the
/// app recovers by itself once the database is back. A statement the database refused for what it was
/// given is no outage: an API answers 409 (a conflicting change) or 400, a screen the generic error.
/// </summary>
internal sealed class DatabaseFaultHandler(ILogger<DatabaseFaultHandler> logger, ILoggerFactory loggerFactory) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        switch (DatabaseFaults.Classify(exception))
        {
            case null:
                return false;
            case { Kind: DatabaseFaultKind.Unavailable } fault:
                return await UnavailableAsync(http, exception, fault.Error, cancellationToken);
            case var refused:
                return await RefusedAsync(http, refused);
        }
    }

    private async Task<bool> RefusedAsync(HttpContext http, DatabaseFault fault)
    {
        // Logged with the database's own words, which may quote stored data: the client gets none of them.
        logger.LogWarning(fault.Error, "The database refused a statement of {Method} {Path} ({Kind}).", http.Request.Method, http.Request.Path.Value, fault.Kind);
        if (http.Response.HasStarted || !ApiProblems.IsApiRequest(http))
        {
            return false;
        }
        http.Response.Clear();
        http.Response.Headers.CacheControl = "no-store";
        if (fault.Kind == DatabaseFaultKind.Conflict)
        {
            await ApiProblems.WriteAsync(http, StatusCodes.Status409Conflict, "database-conflict", "Conflicting change",
                "The change conflicts with data stored meanwhile (a value that must be unique, or a record changed or removed by another request); nothing was changed. Read the current state and try again.");
            return true;
        }
        await ApiProblems.WriteAsync(http, StatusCodes.Status400BadRequest, "database-refused-value", "Value not usable",
            "The database cannot store or compare a value in this request (for example text holding the NUL character \\u0000, or a number out of range); nothing was changed.",
            scimType: "invalidValue");
        return true;
    }

    private async Task<bool> UnavailableAsync(HttpContext http, Exception exception, DbException fault, CancellationToken cancellationToken)
    {
        DatabaseFaults.Forget(exception);
        logger.LogError("The database is not usable ({Error}); answered {Path} with 503.", fault.Message, http.Request.Path.Value);
        if (http.Response.HasStarted)
        {
            return false;
        }
        http.Response.Clear();
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        const string detail = "The panel's database is not reachable right now; nothing was changed. Try again shortly.";
        if (ApiProblems.IsApiRequest(http) || !AcceptsHtml(http.Request))
        {
            await ApiProblems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "database-unavailable", "Database not reachable", detail);
            return true;
        }
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.ContentType = "text/html; charset=utf-8";
        await using var renderer = new HtmlRenderer(http.RequestServices, loggerFactory);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<DatabaseUnavailable>(ParameterView.FromDictionary(
                new Dictionary<string, object?> { [nameof(DatabaseUnavailable.RetryAfterSeconds)] = RetryAfterSeconds }))).ToHtmlString());
        await http.Response.WriteAsync(html, cancellationToken);
        return true;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.Count == 0 || request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
        || request.Headers.Accept.ToString().Contains("*/*", StringComparison.Ordinal);
}

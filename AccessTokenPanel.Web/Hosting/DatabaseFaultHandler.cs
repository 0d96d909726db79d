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
/// app recovers by itself once the database is back.
/// </summary>
internal sealed class DatabaseFaultHandler(ILogger<DatabaseFaultHandler> logger, ILoggerFactory loggerFactory) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (DatabaseFaults.Find(exception) is not { } fault)
        {
            return false;
        }
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

using Microsoft.AspNetCore.Http.Features;

namespace AccessTokenPanel.Web.Api;

/// <summary>
/// Runs before routing, for every request: HEAD is answered like GET without a body (RFC 9110 9.3.2),
/// and an API body in a charset other than UTF-8 is refused before any endpoint tries to decode it
/// (the framework's JSON binding throws on an unknown charset, which used to answer 500).
/// </summary>
internal sealed class RequestGuard : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(GuardAsync);
        next(app);
    };

    private static async Task GuardAsync(HttpContext http, RequestDelegate next)
    {
        if (ApiProblems.IsApiRequest(http) && HasBody(http.Request) && ApiJson.CharsetProblem(http.Request.ContentType) is { } problem)
        {
            await ApiProblems.WriteAsync(http, StatusCodes.Status400BadRequest, "charset-unsupported", "Unsupported charset", problem, "invalidSyntax");
            return;
        }
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await next(http);
            return;
        }
        // Endpoints are mapped for GET; HEAD runs the same endpoint and drops what it writes.
        var body = http.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
        http.Request.Method = HttpMethods.Get;
        try
        {
            await next(http);
        }
        finally
        {
            http.Request.Method = HttpMethods.Head;
            http.Features.Set(body);
        }
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0) || request.ContentType is not null;
}

using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace AccessTokenPanel.Web.Api;

/// <summary>
/// Turns a request the app could not read (unreadable JSON, a form that is not one, bytes that are not
/// text) into a 400 that says so, wherever the reading failed: endpoint binding (which throws, see
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c>), a handler, or the framework's form reader.
/// </summary>
internal sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (http.Response.HasStarted || Describe(exception) is not { } described)
        {
            return false;
        }
        var (status, detail) = described;
        var (code, title) = status == StatusCodes.Status415UnsupportedMediaType
            ? ("unsupported-media-type", "Unsupported media type")
            : status == StatusCodes.Status413PayloadTooLarge ? ("body-too-large", "Body too large") : ("body-invalid", "The request could not be read");
        await ApiProblems.WriteAsync(http, status, code, title, detail, "invalidSyntax");
        return true;
    }

    private static (int Status, string Detail)? Describe(Exception exception)
    {
        var reason = Reason(exception);
        return exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, reason is null ? bad.Message : $"{bad.Message} {reason}"),
            _ when reason is not null => (StatusCodes.Status400BadRequest, reason),
            _ => null,
        };
    }

    /// <summary>What was wrong with the bytes sent, from the innermost exception that knows.</summary>
    private static string? Reason(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case JsonException json:
                    return $"The body is not valid JSON: {json.Message}";
                case DecoderFallbackException:
                    return "The body is not valid text in its charset: send UTF-8.";
                case InvalidDataException form:
                    return $"The form body could not be read: {form.Message}";
            }
        }
        return null;
    }
}

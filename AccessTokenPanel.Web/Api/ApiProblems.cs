using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Api.Scim;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AccessTokenPanel.Web.Api;

/// <summary>RFC 9457 problem details for the REST and Configuration APIs, each with a stable <c>code</c>.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult Problem(int status, string code, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "not-found", "Not found", detail);

    public static ValidationProblem Validation(string code, IDictionary<string, string[]> errors, string detail = "The request has invalid fields.") =>
        TypedResults.ValidationProblem(errors, detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ValidationProblem Validation(string field, string code, string message) =>
        Validation(code, new Dictionary<string, string[]> { [field] = [message] }, message);

    /// <summary>
    /// The one mapping of Domain refusals to problem details: the status from the error's kind, the
    /// first error's stable code in <c>code</c>, and for input errors every message under its JSON field.
    /// </summary>
    public static ProblemHttpResult From(IReadOnlyList<DomainError> errors)
    {
        var first = errors[0];
        var status = StatusOf(first.Kind);
        ProblemDetails problem = first.Kind == ErrorKind.Invalid
            ? new HttpValidationProblemDetails(errors.GroupBy(e => JsonField(e.Field)).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
            {
                Detail = errors.Count == 1 ? first.Message : "The request has invalid fields.",
            }
            : new ProblemDetails { Detail = Detail(first) };
        problem.Status = status;
        problem.Title = TitleOf(first);
        // Every 404 of these APIs has one code, whatever the Domain names the missing thing.
        problem.Extensions["code"] = first.Kind == ErrorKind.NotFound ? "not-found" : first.Code;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult From(DomainError error) => From([error]);

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.StepUpFailed => StatusCodes.Status401Unauthorized,
        ErrorKind.TooManyAttempts => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string TitleOf(DomainError error) => error.Code switch
    {
        StepUpErrors.CodeRequired => "Authentication code required",
        StepUpErrors.CodeInvalid => "Authentication code not valid",
        StepUpErrors.CodeReplayed => "Authentication code already used",
        StepUpErrors.NotEnrolled => "Two-factor authentication not set up",
        StepUpErrors.LockedOut => "Locked out",
        StepUpErrors.TooManyAttempts => "Too many attempts",
        AuthorizationErrors.OutrankedCode => "Owner outranks the caller",
        _ => error.Kind switch
        {
            ErrorKind.NotFound => "Not found",
            ErrorKind.Forbidden => "Forbidden",
            ErrorKind.Conflict => "Conflict",
            _ => "Invalid request",
        },
    };

    // The header is this surface's: the Domain's message speaks of the authenticator app only.
    private static string Detail(DomainError error) => error.Code == StepUpErrors.CodeRequired
        ? $"Send the current code from your authenticator app in the {BasicCredentials.OtpHeader} header."
        : error.Message;

    /// <summary>A Domain field as the request's JSON member: camelCase (<c>OverlapMinutes</c> is <c>overlapMinutes</c>).</summary>
    public static string JsonField(string field) => field switch
    {
        "" => "request",
        TokenFields.Role => "delegatedRole",
        TokenFields.Date => "expirationDate",
        _ => char.ToLowerInvariant(field[0]) + field[1..],
    };

    /// <summary>Gives the framework's empty 400/415 answers (unreadable JSON, wrong content type) a message.</summary>
    public static void DescribeBindingFailures(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null || !context.HttpContext.Request.Path.StartsWithSegments("/api"))
        {
            return;
        }
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status400BadRequest => "The request could not be read: send a valid JSON body and parameters of the documented types.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
            StatusCodes.Status405MethodNotAllowed => "This endpoint does not accept that HTTP method.",
            StatusCodes.Status404NotFound => "There is no such endpoint.",
            _ => null,
        };
    }

    /// <summary>Is this a request to an API (problem or SCIM error answers) rather than to a screen?</summary>
    public static bool IsApiRequest(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments(ScimApi.Prefix);

    /// <summary>
    /// Writes an error outside an endpoint (middleware, exception handlers): a SCIM error under
    /// /scim, an RFC 9457 problem with a <c>code</c> elsewhere.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, int status, string code, string title, string detail, string? scimType = null)
    {
        if (http.Request.Path.StartsWithSegments(ScimApi.Prefix))
        {
            await ScimError.WriteAsync(http, status, scimType, detail);
            return;
        }
        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
        {
            await http.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", http.RequestAborted);
        }
    }
}

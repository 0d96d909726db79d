using System.Globalization;
using System.Threading.RateLimiting;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Components.Account;
using AccessTokenPanel.Web.Hosting;
using global::GraphQL;
using global::GraphQL.Transport;
using global::GraphQL.Types;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Net.Http.Headers;

namespace AccessTokenPanel.Web.Api.GraphQL;

/// <summary>
/// <c>POST /api/graphql</c> (GraphQL over HTTP, JSON only). Authenticated by a REST API token (or an
/// external JWT) in <c>Authorization: Bearer</c>, or by the panel's session cookie from the panel's
/// own pages: a cookie request must be same-origin (Origin or Sec-Fetch-Site) and JSON, which a
/// cross-site form or simple request cannot be, and its session enrolled. Every step's work is
/// bounded before it starts: requests per address and per caller, the body's bytes as they arrive,
/// the document's characters, tokens and expanded fields (<see cref="GraphQLDocumentLimits"/>),
/// then depth and complexity; all of it stops when the client goes away.
/// </summary>
internal static class GraphQLEndpoint
{
    public const string Path = "/api/graphql";
    public const int MaxDepth = 10;
    public const int MaxComplexity = 500;
    private const int MaxBodyBytes = 64 * 1024;

    public static IServiceCollection AddPanelGraphQL(this IServiceCollection services)
    {
        services.AddSingleton<GraphQLCallerRateLimiter>();
        services.AddGraphQL(builder => builder
            .AddSchema<PanelSchema>()
            .AddGraphTypes(typeof(PanelSchema).Assembly)
            .AddSystemTextJson()
            .AddComplexityAnalyzer(options =>
            {
                options.MaxDepth = MaxDepth;
                options.MaxComplexity = MaxComplexity;
            }));
        return services;
    }

    public static IEndpointRouteBuilder MapPanelGraphQL(this IEndpointRouteBuilder endpoints)
    {
        // The REST API's metadata: the bearer scheme takes REST tokens (and external JWTs) here.
        // Each field names its operation (see PanelSchema); the endpoint itself performs none.
        endpoints.MapPost(Path, ExecuteAsync).WithMetadata(new TokenApiMetadata(ApiType.Rest))
            .PerformsNoOperation("GraphQL: each field names the operation it performs (PanelSchema).")
            .AllowAnonymous().DisableAntiforgery().ExcludeFromDescription()
            .RequireRateLimiting(RateLimitPolicies.GraphQL);
        return endpoints;
    }

    private static async Task ExecuteAsync(HttpContext http, IDocumentExecuter<ISchema> executer, IGraphQLSerializer serializer,
        GraphQLCallerRateLimiter callers, ILoggerFactory loggers)
    {
        http.Response.Headers.CacheControl = "no-store";
        var cancellationToken = http.RequestAborted;
        var (caller, refusal) = await AuthenticateAsync(http);
        if (caller is null)
        {
            await WriteErrorAsync(http, refusal!.Value.Status, refusal.Value.Code, refusal.Value.Message);
            return;
        }
        using (var lease = callers.Acquire(caller.UserId))
        {
            if (!lease.IsAcquired)
            {
                await WriteRateLimitedAsync(http, lease, "Too many GraphQL requests for your account.");
                return;
            }
        }
        if (!http.Request.HasJsonContentType())
        {
            await WriteErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                "Send the request as application/json: {\"query\": \"...\", \"variables\": {...}}.");
            return;
        }
        var body = await ReadBodyAsync(http.Request, cancellationToken);
        if (body is null)
        {
            await WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, "REQUEST_TOO_LARGE", $"The request is larger than {MaxBodyBytes} bytes.");
            return;
        }

        GraphQLRequest? request;
        try
        {
            request = await serializer.ReadAsync<GraphQLRequest>(new MemoryStream(body, writable: false), cancellationToken);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            request = null;
        }
        if (string.IsNullOrWhiteSpace(request?.Query))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "REQUEST_INVALID",
                "The body must be JSON with a query: {\"query\": \"...\"}.");
            return;
        }
        var document = GraphQLDocumentLimits.Read(request.Query, cancellationToken);
        if (document.Error is not null)
        {
            await WriteResultAsync(http, StatusCodes.Status400BadRequest, new ExecutionResult { Errors = [document.Error] });
            return;
        }

        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = request.Query,
            Document = document.Document,
            Variables = request.Variables,
            OperationName = request.OperationName,
            Extensions = request.Extensions,
            RequestServices = http.RequestServices,
            User = http.User,
            UserContext = caller,
            // Validation and execution stop when the client goes away (or the server's shutdown aborts it).
            CancellationToken = cancellationToken,
            UnhandledExceptionDelegate = context =>
            {
                // The client gets GraphQL's generic error; the cause goes to the log.
                loggers.CreateLogger(typeof(GraphQLEndpoint)).LogError(context.OriginalException, "GraphQL execution failed.");
                return Task.CompletedTask;
            },
        });
        // GraphQL over HTTP: a document that cannot be run (syntax, validation, depth) is the client's error.
        await WriteResultAsync(http, result.Executed ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, result);
    }

    /// <summary>
    /// The body, or null when it is longer than <see cref="MaxBodyBytes"/>: read no further than that,
    /// whether or not it declared a Content-Length (a chunked body does not).
    /// </summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        // Kestrel then refuses the rest itself, also when it drains what this endpoint left unread.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }

    private static async Task<(GraphQLCaller? Caller, (int Status, string Code, string Message)? Refusal)> AuthenticateAsync(HttpContext http)
    {
        var code = http.Request.Headers[BasicCredentials.OtpHeader].ToString();
        if (http.Request.Headers.Authorization.Count > 0)
        {
            var bearer = await http.AuthenticateAsync(BearerTokenDefaults.Scheme);
            if (!bearer.Succeeded)
            {
                var description = bearer.Failure?.Message ?? "Send a REST API token: Authorization: Bearer <token>.";
                http.Response.Headers.Append(HeaderNames.WWWAuthenticate,
                    $"Bearer realm=\"{BearerTokenDefaults.Realm}\", error=\"invalid_token\", error_description=\"{description.Replace("\"", "'")}\"");
                return (null, (StatusCodes.Status401Unauthorized, "UNAUTHENTICATED", description));
            }
            var principal = bearer.Principal!;
            http.User = principal;
            return (new GraphQLCaller
            {
                UserId = principal.OwnerId(),
                TokenId = principal.PanelTokenId(),
                Code = code,
                Via = principal.ViaToken("GraphQL"),
                Kind = ApiActors.KindOf(http),
            }, null);
        }

        var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!cookie.Succeeded || cookie.Principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is not { } userId)
        {
            http.Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Bearer realm=\"{BearerTokenDefaults.Realm}\"");
            return (null, (StatusCodes.Status401Unauthorized, "UNAUTHENTICATED",
                "Send a REST API token (Authorization: Bearer <token>) or call from a signed-in panel page."));
        }
        if (!IsSameOrigin(http.Request))
        {
            return (null, (StatusCodes.Status403Forbidden, "CROSS_ORIGIN",
                "Requests authenticated by the panel's session must come from the panel's own pages (same origin)."));
        }
        // The cookie handler has just checked the session (not ended, same security stamp, user not
        // disabled) and refreshed the enrollment claim from the database. As on every screen, a
        // session that has not enrolled an authenticator reaches nothing but enrollment.
        if (!PanelClaims.IsEnrolled(cookie.Principal))
        {
            return (null, (StatusCodes.Status403Forbidden, "NOT_ENROLLED",
                "Set up an authenticator app in the panel first: until then this session can only enroll."));
        }
        http.User = cookie.Principal;
        return (new GraphQLCaller { UserId = userId, Code = code, Via = "via GraphQL in the panel session" }, null);
    }

    /// <summary>
    /// Fetch metadata first (a browser says where the request comes from), then the Origin header;
    /// a cookie request with neither is refused, since only a browser holds the cookie.
    /// </summary>
    internal static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
        }
        return site.Length > 0;
    }

    /// <summary>429 in the GraphQL error shape, with Retry-After when the limiter knows it.</summary>
    internal static Task WriteRateLimitedAsync(HttpContext http, RateLimitLease lease, string what)
    {
        var wait = "Wait and try again.";
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            wait = $"Try again in {seconds} seconds.";
        }
        return WriteErrorAsync(http, StatusCodes.Status429TooManyRequests, "RATE_LIMITED", $"{what} {wait}");
    }

    private static Task WriteErrorAsync(HttpContext http, int status, string code, string message) =>
        WriteResultAsync(http, status, new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] });

    private static async Task WriteResultAsync(HttpContext http, int status, ExecutionResult result)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.RequestServices.GetRequiredService<IGraphQLSerializer>().WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}

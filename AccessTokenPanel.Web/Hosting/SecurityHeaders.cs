using System.Security.Cryptography;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>
/// Browser hardening headers on every response, pages and APIs alike (added when the response
/// starts, so error pages, problem details and redirects carry them too).
/// </summary>
internal static class SecurityHeaders
{
    private const string NonceKey = "atp:csp-nonce";
    private const string FormActionKey = "atp:csp-form-action";

    /// <summary>
    /// Lets this response's forms also lead to <paramref name="origin"/>: the sign-in page's single
    /// sign-on form is answered with a redirect to the OpenID Provider, which form-action also governs.
    /// </summary>
    public static void AllowFormActionTo(HttpContext http, Uri origin) =>
        http.Items[FormActionKey] = origin.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// This response's script nonce, for the one inline script Blazor renders: the import map
    /// (<c>&lt;ImportMap nonce="@SecurityHeaders.NonceOf(HttpContext)" /&gt;</c> in App.razor).
    /// </summary>
    public static string NonceOf(HttpContext http) => (string)http.Items[NonceKey]!;

    /// <summary>
    /// Blazor Server needs only its own script and a WebSocket to the same origin ('self' covers
    /// ws/wss of this host); no eval; an inline script only with this response's nonce (the import
    /// map). MudBlazor sets inline styles, hence 'unsafe-inline' for styles
    /// only. QR codes are data: images. Nobody may frame the panel (clickjacking).
    /// </summary>
    public const string ContentSecurityPolicyTemplate =
        "default-src 'self'; script-src 'self' 'nonce-{0}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
        "frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), clipboard-write=(self)";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Items[NonceKey] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                var policy = string.Format(System.Globalization.CultureInfo.InvariantCulture, ContentSecurityPolicyTemplate, NonceOf(http));
                if (http.Items[FormActionKey] is string formAction)
                {
                    policy = policy.Replace("form-action 'self'", $"form-action 'self' {formAction}", StringComparison.Ordinal);
                }
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>The <c>Hosting</c> section of appsettings.json: where the panel is reached from outside, and through which proxies.</summary>
public sealed class PublicOriginOptions : IValidatableObject
{
    public const string Section = "Hosting";

    /// <summary>
    /// The panel's public address (<c>https://panel.example.com</c>, no path). When set, every
    /// absolute URL (redirects, SCIM <c>meta.location</c>, the setup link) is built from it and the
    /// request's Host header and scheme are not used. Empty: the request's own (limited by <c>AllowedHosts</c>).
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>) of reverse proxies whose
    /// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. Empty (the default): those
    /// headers are ignored from everyone.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    public Uri? PublicBaseUri =>
        string.IsNullOrWhiteSpace(PublicBaseUrl) ? null : new Uri(PublicBaseUrl.Trim(), UriKind.Absolute);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl.Trim(), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || uri.Query != "" || uri.Fragment != "" || uri.UserInfo != ""))
        {
            yield return new ValidationResult(
                $"Hosting:PublicBaseUrl must be an http or https address without a path, such as https://panel.example.com (got '{PublicBaseUrl}').",
                [nameof(PublicBaseUrl)]);
        }
        foreach (var proxy in TrustedProxies)
        {
            if (!IPAddress.TryParse(proxy, out _) && !IPNetwork.TryParse(proxy, out _))
            {
                yield return new ValidationResult(
                    $"Hosting:TrustedProxies entries are IP addresses or networks such as 10.0.0.0/8 (got '{proxy}').",
                    [nameof(TrustedProxies)]);
            }
        }
    }
}

/// <summary>
/// Forwarded headers from trusted proxies only, then the public origin: so behind a TLS proxy the
/// request counts as HTTPS (Secure cookies, HSTS) and the client address is the client's (rate
/// limits, "last used"), and no Host header decides an absolute URL.
/// </summary>
internal static class PublicOrigin
{
    public static IServiceCollection AddPublicOrigin(this IServiceCollection services)
    {
        services.AddOptions<PublicOriginOptions>().BindConfiguration(PublicOriginOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static IApplicationBuilder UsePublicOrigin(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<PublicOriginOptions>>().Value;
        if (options.TrustedProxies.Length > 0)
        {
            var forwarded = new ForwardedHeadersOptions
            {
                ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
                // Walk the chain from the right while each hop is a trusted proxy; stop at the first that is not.
                ForwardLimit = null,
            };
            // ASP.NET Core trusts loopback by default; only what the operator lists is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.TrustedProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
                else
                {
                    forwarded.KnownIPNetworks.Add(IPNetwork.Parse(proxy));
                }
            }
            app.UseForwardedHeaders(forwarded);
        }
        if (options.PublicBaseUri is { } publicBase)
        {
            var scheme = publicBase.Scheme;
            var host = new HostString(publicBase.Authority);
            app.Use((context, next) =>
            {
                context.Request.Scheme = scheme;
                context.Request.Host = host;
                return next(context);
            });
        }
        return app;
    }
}

using AccessTokenPanel.Domain.ExternalTokens;

namespace AccessTokenPanel.Web.Authentication;

public static class ExternalJwtSetup
{
    /// <summary>
    /// The external JWT scheme, reached through the <c>Bearer</c> scheme: a REST API request whose
    /// bearer value is a JWT is forwarded to it, so every REST endpoint accepts both kinds unchanged.
    /// </summary>
    public static IServiceCollection AddExternalJwtAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<ExternalJwtOptions, ExternalJwtHandler>(ExternalJwtDefaults.Scheme, displayName: "External OIDC token", _ => { });
        services.PostConfigure<BearerTokenOptions>(BearerTokenDefaults.Scheme, options => options.ForwardDefaultSelector = ExternalJwtDefaults.Select);
        services.AddSingleton<ExternalJwtKeyCache>();
        services.AddScoped<ExternalTokenValidatorChanges>();
        // Loopback http (a local test issuer) only in Development: the environment decides, not configuration.
        services.AddOptions<ExternalIssuerUrlOptions>()
            .Configure<IHostEnvironment>((options, environment) => options.AllowLoopbackHttp = environment.IsDevelopment());
        services.AddHttpClient(ExternalJwtKeyCache.HttpClientName, client =>
            {
                client.Timeout = TimeSpan.FromSeconds(5);
                client.MaxResponseContentBufferSize = 1024 * 1024;
            })
            // A redirect would take the key fetch to a URL nobody checked (http, another host, an internal
            // address): the URLs the validator names, and those only, are where keys come from.
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        return services;
    }
}

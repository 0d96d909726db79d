using AccessTokenPanel.Domain.Tokens;
using Microsoft.AspNetCore.Authorization;

namespace AccessTokenPanel.Web.Authentication;

public static class BearerAuthenticationSetup
{
    /// <summary>Registers the <c>Bearer</c> scheme (never the default: pages use cookies) and the permission policies.</summary>
    public static IServiceCollection AddPanelBearerAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<BearerTokenOptions, BearerTokenHandler>(BearerTokenDefaults.Scheme, displayName: "API token", _ => { });
        services.AddSingleton<IAuthorizationHandler, TokenPermissionAuthorizationHandler>();
        services.AddSingleton<TokenUsageRecorder>();
        services.AddOptions<TokenUsageOptions>().BindConfiguration(TokenUsageOptions.Section);
        services.AddSingleton<TokenUsageFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenUsageFlusher>());
        return services;
    }

    /// <summary>Every endpoint of the group needs a valid bearer token issued for <paramref name="api"/>.</summary>
    public static RouteGroupBuilder RequireApiToken(this RouteGroupBuilder group, ApiType api)
    {
        group.WithMetadata(new TokenApiMetadata(api));
        group.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(BearerTokenDefaults.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(TokenClaims.Api, api.ToString()));
        return group;
    }

    /// <summary>The token must carry <paramref name="permission"/>; otherwise 403 insufficient_scope.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(BearerTokenDefaults.Scheme)
            .AddRequirements(new TokenPermissionRequirement(permission)));
}

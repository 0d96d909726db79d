using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AccessTokenPanel.Web.Authentication.Sso;

/// <summary>
/// Single sign-on: ASP.NET Core's OpenID Connect handler (code flow, PKCE) signing into Identity's
/// external cookie; <see cref="SsoSignIn"/> then matches the provider's user to a panel user.
/// </summary>
internal static class SsoSetup
{
    public const string CallbackPath = "/account/sso/callback";

    public static IServiceCollection AddPanelSso(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SsoOptions>().BindConfiguration(SsoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<SsoSignIn>();
        services.AddScoped<SsoLogout>();
        var sso = configuration.GetSection(SsoOptions.Section).Get<SsoOptions>() ?? new SsoOptions();
        if (!sso.Enabled)
        {
            return services;
        }
        services.AddAuthentication().AddOpenIdConnect(SsoOptions.Scheme, sso.DisplayName, oidc =>
        {
            oidc.Authority = sso.Authority!.Trim();
            oidc.RequireHttpsMetadata = oidc.Authority.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
            oidc.ClientId = sso.ClientId;
            oidc.ClientSecret = string.IsNullOrEmpty(sso.ClientSecret) ? null : sso.ClientSecret;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            // The answer comes back as a top-level GET: SameSite=Lax cookies survive it, also over
            // plain http (SameSite=None needs Secure), which form_post's cross-site POST would not.
            oidc.ResponseMode = OpenIdConnectResponseMode.Query;
            oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
            oidc.NonceCookie.SameSite = SameSiteMode.Lax;
            oidc.UsePkce = true;
            // The correlation and nonce cookies' expiry is judged by the browser's clock, and the
            // provider's tokens by its: never the panel's TimeProvider (a test moves that one).
            oidc.TimeProvider = TimeProvider.System;
            oidc.CallbackPath = CallbackPath;
            oidc.SignInScheme = IdentityConstants.ExternalScheme;
            oidc.GetClaimsFromUserInfoEndpoint = true;
            oidc.MapInboundClaims = false;
            oidc.SaveTokens = false;
            oidc.Scope.Clear();
            oidc.Scope.Add("openid");
            foreach (var scope in sso.EffectiveScopes)
            {
                oidc.Scope.Add(scope);
            }
            // amr from the ID token is what TrustProviderMfa reads; keep it on the external principal.
            oidc.ClaimActions.Remove("amr");
            // Whether the provider verified the email: an unverified one matches no user.
            oidc.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
            oidc.Events.OnRemoteFailure = context =>
            {
                // The reason (no secrets: the handler's message names the step that failed) for the operator.
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AccessTokenPanel.Sso")
                    .LogWarning("Single sign-on failed at the provider's answer: {Reason}", context.Failure?.Message);
                context.HandleResponse();
                context.Response.Redirect($"{SsoPaths.Refused}?reason=provider");
                return Task.CompletedTask;
            };
        });
        return services;
    }
}

public static class SsoPaths
{
    public const string Start = "/account/sso/start";
    public const string Complete = "/account/sso/complete";
    public const string Refused = "/account/sso/refused";

    /// <summary>POST from the OpenID Provider: OpenID Connect Back-Channel Logout 1.0 (register it as the client's backchannel_logout_uri).</summary>
    public const string BackChannelLogout = "/account/sso/backchannel-logout";

    /// <summary>GET in the provider's frame: OpenID Connect Front-Channel Logout 1.0 with iss and sid (frontchannel_logout_uri).</summary>
    public const string FrontChannelLogout = "/account/sso/frontchannel-logout";
}

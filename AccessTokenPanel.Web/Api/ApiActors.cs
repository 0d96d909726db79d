using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Authentication;

namespace AccessTokenPanel.Web.Api;

/// <summary>
/// The API surfaces' actors, built from the bearer principal: who (the token's owner or the JWT's
/// user), which token, the step-up code in <c>X-OTP</c>, and what the surface lets the caller act
/// with. The Configuration API acts with the token's permissions (its delegated role as far as its
/// owner holds it); the REST API and GraphQL are the caller's own tokens only, whatever the caller
/// holds, so their actors carry no permissions. (SCIM's handlers, which take no code, use the
/// principal's actor, ClaimsPrincipalExtensions.UserActor, directly.)
/// </summary>
internal static class ApiActors
{
    public const string ConfigurationApi = "Configuration API";
    public const string RestApi = "REST API";

    public static Actor ConfigurationActor(this HttpContext http) => FromBearer(http, ConfigurationApi, http.User.TokenPermissions());

    public static Actor RestActor(this HttpContext http, string api = RestApi) => FromBearer(http, api, Actor.NoPermissions);

    /// <summary>How the bearer principal of this request proved itself: a panel token (long-lived or exchanged) or an external JWT.</summary>
    public static ActorKind KindOf(HttpContext http) =>
        http.User.PanelTokenId() is null ? ActorKind.ExternalJwt
        : http.Features.Get<AuthenticatedTokenFeature>()?.Token.Kind == TokenKind.Access ? ActorKind.AccessToken
        : ActorKind.Token;

    // The principal's actor (ClaimsPrincipalExtensions.UserActor), with what only the request knows:
    // whether the token is an exchanged one, the code in X-OTP, and the surface's permission bound.
    private static Actor FromBearer(HttpContext http, string api, IReadOnlySet<string> permissions)
    {
        var code = http.Request.Headers[BasicCredentials.OtpHeader].ToString();
        return http.User.UserActor(api) with
        {
            Kind = KindOf(http),
            Permissions = permissions,
            StepUpCode = code.Length == 0 ? null : code,
        };
    }
}

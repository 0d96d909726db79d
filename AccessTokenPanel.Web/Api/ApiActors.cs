using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Authentication;

namespace AccessTokenPanel.Web.Api;

/// <summary>
/// The API surfaces' actors, built from the bearer principal: who (the token's owner or the JWT's
/// user), which token, the step-up code in <c>X-OTP</c>, and what the surface lets the caller act
/// with. The Configuration and SCIM APIs act with the token's permissions (its delegated role as far
/// as its owner holds it; a SCIM token its owner's); the REST API and GraphQL are the caller's own
/// tokens only, whatever the caller holds, so their actors carry no permissions.
/// </summary>
internal static class ApiActors
{
    public const string ConfigurationApi = "Configuration API";
    public const string ScimApi = "SCIM API";
    public const string RestApi = "REST API";

    public static Actor ConfigurationActor(this HttpContext http) => FromBearer(http, ConfigurationApi, http.User.TokenPermissions());

    public static Actor ScimActor(this HttpContext http) => FromBearer(http, ScimApi, http.User.TokenPermissions());

    public static Actor RestActor(this HttpContext http, string api = RestApi) => FromBearer(http, api, Actor.NoPermissions);

    private static Actor FromBearer(HttpContext http, string api, IReadOnlySet<string> permissions)
    {
        var tokenId = http.User.PanelTokenId();
        var kind = tokenId is null ? ActorKind.ExternalJwt
            : http.Features.Get<AuthenticatedTokenFeature>()?.Token.Kind == TokenKind.Access ? ActorKind.AccessToken
            : ActorKind.Token;
        var code = http.Request.Headers[BasicCredentials.OtpHeader].ToString();
        return new Actor
        {
            UserId = http.User.OwnerId(),
            Kind = kind,
            Permissions = permissions,
            Via = http.User.ViaToken(api),
            TokenId = tokenId,
            StepUpCode = code.Length == 0 ? null : code,
        };
    }
}

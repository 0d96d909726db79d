using System.Security.Claims;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Web.Authentication;

namespace AccessTokenPanel.Web.Api;

internal static class ClaimsPrincipalExtensions
{
    public static string OwnerId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TokenClaims.Owner) ?? throw new InvalidOperationException("Not a token principal.");

    public static Guid TokenId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(TokenClaims.TokenId) ?? throw new InvalidOperationException("Not a token principal."));

    /// <summary>The panel token making the call; null for an external identity provider's JWT.</summary>
    public static Guid? PanelTokenId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(TokenClaims.TokenId), out var id) ? id : null;

    public static IReadOnlySet<string> TokenPermissions(this ClaimsPrincipal user) =>
        user.FindAll(TokenClaims.Permission).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The token (or external JWT) as an actor on users: its owner, acting with the token's
    /// permissions, without a step-up code (see <see cref="ApiActors"/> for the request's whole actor).
    /// </summary>
    public static Actor UserActor(this ClaimsPrincipal user, string api) => new()
    {
        UserId = user.OwnerId(),
        Kind = user.PanelTokenId() is null ? ActorKind.ExternalJwt : ActorKind.Token,
        Permissions = user.TokenPermissions(),
        Via = user.ViaToken(api),
        TokenId = user.PanelTokenId(),
    };

    /// <summary>For audit details: which token acted.</summary>
    public static string ViaToken(this ClaimsPrincipal user, string api) =>
        user.PanelTokenId() is { } id ? $"via {api} token {id}" : $"via {api} with an external token";
}

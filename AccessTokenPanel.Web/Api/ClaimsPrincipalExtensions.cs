using System.Security.Claims;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Authentication;

namespace AccessTokenPanel.Web.Api;

internal static class ClaimsPrincipalExtensions
{
    public static string OwnerId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TokenClaims.Owner) ?? throw new InvalidOperationException("Not a token principal.");

    public static Guid TokenId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(TokenClaims.TokenId) ?? throw new InvalidOperationException("Not a token principal."));

    public static IReadOnlySet<string> TokenPermissions(this ClaimsPrincipal user) =>
        user.FindAll(TokenClaims.Permission).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The token as an actor on users: its owner, acting with the token's permissions.</summary>
    public static UserActor UserActor(this ClaimsPrincipal user, string api) => new(user.OwnerId(), user.TokenPermissions(), user.ViaToken(api));

    /// <summary>For audit details: which token acted.</summary>
    public static string ViaToken(this ClaimsPrincipal user, string api) => $"via {api} token {user.TokenId()}";
}

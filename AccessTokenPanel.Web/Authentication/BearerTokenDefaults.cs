namespace AccessTokenPanel.Web.Authentication;

/// <summary>The API token scheme and the claims its principal carries.</summary>
public static class BearerTokenDefaults
{
    public const string Scheme = "Bearer";
    public const string Realm = "AccessTokenPanel";
}

public static class TokenClaims
{
    /// <summary>The token owner's user id (also <see cref="System.Security.Claims.ClaimTypes.NameIdentifier"/>).</summary>
    public const string Owner = "sub";
    public const string TokenId = "token_id";
    public const string Api = "api";
    public const string DelegatedRole = "delegated_role";

    /// <summary>One claim per permission the token may use right now.</summary>
    public const string Permission = "permission";
}

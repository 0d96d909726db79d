using AccessTokenPanel.Domain.Permissions;

namespace AccessTokenPanel.Domain.ExternalTokens;

/// <summary>
/// Trust in an external OpenID Connect issuer: its JWTs may call the REST API as the panel user
/// their <see cref="UserClaim"/> names, if that user holds no permission beyond <see cref="MaxRole"/>.
/// Keys come from <see cref="JwksUrl"/> when set, otherwise from the issuer's discovery document
/// (<c>{issuer}/.well-known/openid-configuration</c>).
/// </summary>
public class ExternalTokenValidator
{
    public const int NameMaxLength = 100;
    public const int UrlMaxLength = 500;
    public const int AudienceMaxLength = 200;
    public const int RoleMaxLength = 64;

    /// <summary>
    /// The maximum role when its author names none: the highest built-in role below Super
    /// Administrator (it holds Read Only's permissions too). A compromised issuer then cannot act as a
    /// Super Administrator unless the validator's author allowed exactly that.
    /// </summary>
    public const string DefaultMaxRole = PanelRoles.UserAdministrator;

    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The exact <c>iss</c> the tokens carry.</summary>
    public required string Issuer { get; set; }

    /// <summary>Where the signing keys are, when not found through discovery.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>The <c>aud</c> the tokens must carry (the panel's client or API id at the issuer).</summary>
    public required string Audience { get; set; }

    public ExternalUserClaim UserClaim { get; set; }

    /// <summary>
    /// A <see cref="PanelRoles"/> name: a token maps only to a user whose current permissions are all
    /// this role's, and acts with no more than them.
    /// </summary>
    public string MaxRole { get; set; } = DefaultMaxRole;
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>How a JWT names its panel user.</summary>
public enum ExternalUserClaim
{
    /// <summary>The <c>email</c> claim, matched to the user's email.</summary>
    Email = 0,

    /// <summary>The <c>sub</c> claim, matched to the user's external id (as set by SCIM provisioning).</summary>
    Subject = 1,
}

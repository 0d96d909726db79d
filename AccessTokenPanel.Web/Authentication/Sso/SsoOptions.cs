using System.ComponentModel.DataAnnotations;
using AccessTokenPanel.Domain.Permissions;

namespace AccessTokenPanel.Web.Authentication.Sso;

/// <summary>
/// The <c>Sso</c> section of appsettings.json: single sign-on through the organization's OpenID
/// Provider (authorization code flow with PKCE). Off while <see cref="Authority"/> is empty.
/// </summary>
public sealed class SsoOptions : IValidatableObject
{
    public const string Section = "Sso";

    /// <summary>The scheme name of the OpenID Connect handler.</summary>
    public const string Scheme = "sso";

    /// <summary>The provider's issuer URL (its <c>/.well-known/openid-configuration</c> is read from there). Empty: no single sign-on.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client secret the provider issued (a secret: keep it in the environment, not in the file).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The provider's name on the sign-in page's button ("Sign in with {DisplayName}").</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>Scopes asked for besides <c>openid</c>; empty means <see cref="DefaultScopes"/>.</summary>
    /// <remarks>Empty by default: configuration binding appends to an array's initial items.</remarks>
    public string[] Scopes { get; set; } = [];

    public static readonly string[] DefaultScopes = ["profile", "email"];

    public IReadOnlyList<string> EffectiveScopes => Scopes.Length == 0 ? DefaultScopes : Scopes;

    /// <summary>
    /// When the ID token's <c>amr</c> says the provider used a second factor (mfa, hwk, otp, swk),
    /// the panel asks for no authentication code of its own.
    /// </summary>
    public bool TrustProviderMfa { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }
        if (!Uri.TryCreate(Authority!.Trim(), UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback))
            || authority.Query != "" || authority.Fragment != "")
        {
            yield return new ValidationResult(
                $"Sso:Authority must be the provider's https issuer URL, such as https://login.example.com/tenant (got '{Authority}'; plain http only on this machine's loopback).",
                [nameof(Authority)]);
        }
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return new ValidationResult("Sso:ClientId is required when Sso:Authority is set.", [nameof(ClientId)]);
        }
        if (string.IsNullOrWhiteSpace(DisplayName) || DisplayName.Length > 60)
        {
            yield return new ValidationResult("Sso:DisplayName must be 1 to 60 characters (it names the sign-in button).", [nameof(DisplayName)]);
        }
        if (Scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Any(char.IsWhiteSpace)))
        {
            yield return new ValidationResult("Sso:Scopes are single words such as \"email\".", [nameof(Scopes)]);
        }
    }
}

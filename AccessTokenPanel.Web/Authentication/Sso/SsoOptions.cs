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

    /// <summary>
    /// A provider's user who matches no panel user becomes one at their first single sign-on, with
    /// <see cref="NewUserRole"/> (only when the provider verified their email). Off by default.
    /// </summary>
    public bool CreateUsers { get; set; }

    /// <summary>The role of users made by <see cref="CreateUsers"/>: never an administrator role (see <see cref="PanelRoles.IsAdministratorRole"/>).</summary>
    public string NewUserRole { get; set; } = PanelRoles.ReadOnly;

    /// <summary>
    /// Sign-in through the provider only: the password form (and the API's password check) and
    /// passkey sign-in refuse everyone but the break-glass Super Administrator <see cref="BreakGlassEmail"/>.
    /// </summary>
    public bool Only { get; set; }

    /// <summary>The email of the one Super Administrator who may still sign in with password and code when <see cref="Only"/> is on.</summary>
    public string? BreakGlassEmail { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>Whether <paramref name="email"/> is the break-glass administrator's (case-insensitive, as Identity's normalized emails).</summary>
    public bool IsBreakGlass(string? email) =>
        !string.IsNullOrWhiteSpace(BreakGlassEmail) && !string.IsNullOrWhiteSpace(email)
        && string.Equals(email.Trim(), BreakGlassEmail.Trim(), StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            if (CreateUsers || Only)
            {
                yield return new ValidationResult("Sso:CreateUsers and Sso:Only need single sign-on: set Sso:Authority and Sso:ClientId.",
                    [CreateUsers ? nameof(CreateUsers) : nameof(Only)]);
            }
            yield break;
        }
        if (CreateUsers)
        {
            if (PanelRoles.Find(NewUserRole) is not { } role)
            {
                yield return new ValidationResult(
                    $"Sso:NewUserRole must name a role ({string.Join(", ", PanelRoles.All.Select(r => r.Name))}); got '{NewUserRole}'.",
                    [nameof(NewUserRole)]);
            }
            else if (PanelRoles.IsAdministratorRole(role))
            {
                yield return new ValidationResult(
                    $"Sso:NewUserRole '{NewUserRole}' is an administrator role (it holds permissions beyond {PanelRoles.ReadOnly}'s): users created by single sign-on may only get {string.Join(" or ", PanelRoles.All.Where(r => !PanelRoles.IsAdministratorRole(r)).Select(r => r.Name))}.",
                    [nameof(NewUserRole)]);
            }
        }
        if (Only && (string.IsNullOrWhiteSpace(BreakGlassEmail) || !BreakGlassEmail.Contains('@', StringComparison.Ordinal)))
        {
            yield return new ValidationResult(
                "Sso:Only needs Sso:BreakGlassEmail, the email of a Super Administrator who can still sign in with password and code when the provider is down.",
                [nameof(BreakGlassEmail)]);
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

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

/// <summary>
/// The Generate dialog's fields as typed. Everything is a string so that a malformed number or
/// date comes back to the user as typed, with a message, instead of failing the form binding.
/// </summary>
public sealed class GenerateTokenInput
{
    public const string DaysMode = "days";
    public const string DateMode = "date";

    public string? Name { get; set; }

    /// <summary>An <see cref="Domain.Tokens.ApiType"/> name: Configuration, Scim or Rest.</summary>
    public string? Api { get; set; }

    /// <summary>Only read for Configuration API tokens (the field is merely hidden for the others).</summary>
    public string? DelegatedRole { get; set; }

    public string ExpiryMode { get; set; } = DaysMode;
    public string? Days { get; set; }
    public string? ExpirationDate { get; set; }

    /// <summary>Allowed client addresses as typed: one per line or comma-separated; empty means from anywhere.</summary>
    public string? AllowedAddresses { get; set; }

    /// <summary>A service account the signed-in user owns, when the token is for it; null: for themselves.</summary>
    public string? OwnerId { get; set; }

    /// <summary>The step-up code; never rendered back.</summary>
    public string? Code { get; set; }

    /// <summary>A verified passkey's one-time proof, instead of <see cref="Code"/> ("Use a passkey").</summary>
    public string? PasskeyProof { get; set; }
}

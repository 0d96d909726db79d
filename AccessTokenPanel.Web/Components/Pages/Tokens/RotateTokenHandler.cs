using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Localization;
using AccessTokenPanel.Domain.Authorization;

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

/// <summary>Either the replacement and its secret (to show once) with the old token as it is now, or messages keyed by field.</summary>
public sealed record RotateTokenOutcome(AccessToken? NewToken, string? Secret, AccessToken? OldToken, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => NewToken is not null;
}

/// <summary>
/// What the allowed-addresses dialog gets back: the token as saved, or the message; <paramref name="CodeNeeded"/>
/// when the change widens the list and the authentication code was missing or wrong.
/// </summary>
public sealed record AllowedAddressesSaveOutcome(AccessToken? Token, string? Error, bool CodeNeeded = false)
{
    public bool Succeeded => Token is not null;
}

/// <summary>
/// The Rotate and allowed-addresses dialogs' submits: the Domain operations decide (the rotator's
/// checks first, so a token that cannot be rotated does not cost the user their code, then the
/// code); this turns their errors into field messages.
/// </summary>
public sealed class RotateTokenHandler(TokenRotator rotator, AllowedAddressesEditor addresses)
{
    public const string CodeField = "Code";
    public const string OverlapField = "Overlap";
    /// <summary>Errors about the token itself (already rotated, deleted meanwhile).</summary>
    public const string FormField = "";

    public async Task<RotateTokenOutcome> HandleAsync(Actor actor, Guid tokenId, int overlapMinutes, StepUpAnswer? stepUp, CancellationToken cancellationToken = default)
    {
        var result = await rotator.RotateAsync(actor.WithStepUp(stepUp), tokenId, overlapMinutes, cancellationToken);
        return result.Succeeded
            ? new(result.NewToken, result.Secret, result.OldToken, new Dictionary<string, string>())
            : Failed(result);
    }

    /// <summary>
    /// Saves the typed list (one entry per line, or separated by commas); empty allows every address.
    /// <paramref name="stepUp"/>: the authentication code or a passkey's proof, needed only when the list grows or goes.
    /// </summary>
    public async Task<AllowedAddressesSaveOutcome> SetAllowedAddressesAsync(Actor actor, Guid tokenId, string? typed, StepUpAnswer? stepUp = null,
        CancellationToken cancellationToken = default)
    {
        var result = await addresses.SetAsync(actor.WithStepUp(stepUp), tokenId, AddressAllowlist.Split(typed), cancellationToken);
        return result.Succeeded
            ? new(result.Token, null)
            : new(null, string.Join(" ", result.Errors.Select(DomainMessages.Text)), result.Outcome == AllowedAddressesOutcome.StepUpFailed);
    }

    private static RotateTokenOutcome Failed(RotateTokenResult result) =>
        new(null, null, null, result.Errors
            .GroupBy(e => e.Field switch { TokenFields.Overlap => OverlapField, StepUpErrors.Field => CodeField, _ => FormField })
            .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(DomainMessages.Text))));

    private static RotateTokenOutcome Failed(string field, string message) =>
        new(null, null, null, new Dictionary<string, string> { [field] = message });
}

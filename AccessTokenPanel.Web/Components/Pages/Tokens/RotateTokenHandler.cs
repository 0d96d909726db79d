using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Hosting;

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

/// <summary>Either the replacement and its secret (to show once) with the old token as it is now, or messages keyed by field.</summary>
public sealed record RotateTokenOutcome(AccessToken? NewToken, string? Secret, AccessToken? OldToken, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => NewToken is not null;
}

/// <summary>What the allowed-addresses dialog gets back: the token as saved, or the message for the field.</summary>
public sealed record AllowedAddressesSaveOutcome(AccessToken? Token, string? Error)
{
    public bool Succeeded => Token is not null;
}

/// <summary>
/// The Rotate dialog's submit: the rotator's checks first (a token that cannot be rotated does not
/// cost the user their code), then the step-up code, then the rotation.
/// </summary>
public sealed class RotateTokenHandler(TokenRotator rotator, AllowedAddressesEditor addresses, SecondFactorService secondFactor, StepUpRateLimiter rateLimiter)
{
    public const string CodeField = "Code";
    public const string OverlapField = "Overlap";
    /// <summary>Errors about the token itself (already rotated, deleted meanwhile).</summary>
    public const string FormField = "";

    public async Task<RotateTokenOutcome> HandleAsync(PanelUser actor, Guid tokenId, int overlapMinutes, string? code, CancellationToken cancellationToken = default)
    {
        if (await rotator.CheckAsync(tokenId, actor.Id, overlapMinutes, cancellationToken: cancellationToken) is { } refusal)
        {
            return Failed(refusal);
        }
        code = code?.Replace(" ", "", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(code))
        {
            return Failed(CodeField, "Enter the 6-digit code from your authenticator app.");
        }
        // The same credentials limit as every form and endpoint that takes a code (a circuit's events bypass the middleware).
        if (!rateLimiter.TryAcquire(actor.Id))
        {
            return Failed(CodeField, "Too many attempts. Wait a minute and try again.");
        }
        var stepUp = await secondFactor.VerifyAsync(actor, code, cancellationToken);
        if (stepUp != StepUpResult.Verified)
        {
            return Failed(CodeField, stepUp switch
            {
                StepUpResult.ReplayedCode => "That code was already used. Wait for your app to show a new code and enter it.",
                StepUpResult.LockedOut => "Too many wrong codes: your account is locked for a while. Try again later.",
                StepUpResult.TooManyAttempts => "Other codes for your account are being checked right now. Try again in a moment.",
                StepUpResult.NotEnrolled => "Set up your authenticator app (two-factor authentication) before rotating tokens.",
                _ => "That code is not right. Enter the current 6-digit code from your authenticator app.",
            });
        }
        var result = await rotator.RotateAsync(tokenId, actor.Id, overlapMinutes, cancellationToken: cancellationToken);
        return result.Succeeded
            ? new(result.NewToken, result.Secret, result.OldToken, new Dictionary<string, string>())
            : Failed(result);
    }

    /// <summary>Saves the typed list (one entry per line, or separated by commas); empty allows every address.</summary>
    public async Task<AllowedAddressesSaveOutcome> SetAllowedAddressesAsync(PanelUser actor, Guid tokenId, string? typed, CancellationToken cancellationToken = default)
    {
        var result = await addresses.SetAsync(tokenId, actor.Id, AddressAllowlist.Split(typed), cancellationToken: cancellationToken);
        return result.Succeeded
            ? new(result.Token, null)
            : new(null, string.Join(" ", result.Errors.Select(e => e.Message)));
    }

    private static RotateTokenOutcome Failed(RotateTokenResult result) =>
        new(null, null, null, result.Errors
            .GroupBy(e => e.Field == TokenFields.Overlap ? OverlapField : FormField)
            .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Message))));

    private static RotateTokenOutcome Failed(string field, string message) =>
        new(null, null, null, new Dictionary<string, string> { [field] = message });
}

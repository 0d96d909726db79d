namespace AccessTokenPanel.Domain.Authorization;

/// <summary>
/// What a screen's user answered a step-up with: the authentication code they typed, or the
/// handle of a passkey they just used (see <see cref="Passkeys.PasskeyStepUps"/>). The APIs take a code only.
/// </summary>
public sealed record StepUpAnswer(string? Code, string? PasskeyProof = null)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Code) && string.IsNullOrEmpty(PasskeyProof);

    public static implicit operator StepUpAnswer(string? code) => new(code);

    public override string ToString() => PasskeyProof is null ? "code" : "passkey";
}

using AccessTokenPanel.Domain.Permissions;

namespace AccessTokenPanel.Domain.Authorization;

/// <summary>How an actor proved who they are on this request.</summary>
public enum ActorKind
{
    /// <summary>A signed-in user on the panel's pages (cookie session).</summary>
    Session,
    /// <summary>A long-lived panel token (Configuration, SCIM or REST API).</summary>
    Token,
    /// <summary>A short-lived access token exchanged for a long-lived one; never more than its live parent.</summary>
    AccessToken,
    /// <summary>An external identity provider's JWT, mapped to a panel user.</summary>
    ExternalJwt,
    /// <summary>The panel itself (secret scanning reports, scheduled work): no user, no permissions.</summary>
    System,
}

/// <summary>
/// Who performs an operation and with what right: the user acted for, the permissions the actor
/// acts with right now (a session: the user's; a token: its delegated role as far as its owner
/// still holds it; a REST token or a JWT: what their surface allows), and how strongly they proved
/// it. Operations decide from this alone (see <see cref="OperationGuard"/>); surfaces only build it.
/// </summary>
public sealed record Actor
{
    /// <summary>The user acted for: the session's user, the token's owner, the JWT's mapped user; null for <see cref="ActorKind.System"/>.</summary>
    public required string? UserId { get; init; }
    public required ActorKind Kind { get; init; }
    /// <summary>What the actor may do beyond its own tokens (see <see cref="Permission"/>).</summary>
    public required IReadOnlySet<string> Permissions { get; init; }
    /// <summary>Where the actor came in, for the audit entry (e.g. "via REST API token 0190…").</summary>
    public required string Via { get; init; }
    /// <summary>The panel token making the call, for the token kinds.</summary>
    public Guid? TokenId { get; init; }
    /// <summary>The user has a second factor enrolled. A session without one reaches nothing but enrollment.</summary>
    public bool Enrolled { get; init; } = true;
    /// <summary>
    /// The authentication code presented with this request (a form field, the X-OTP header), not yet
    /// checked: operations that need step-up check it once, after the request's other checks.
    /// </summary>
    public string? StepUpCode { get; init; }
    /// <summary>
    /// A verified passkey for this request's step-up instead of a code (the handle from
    /// <see cref="Passkeys.PasskeyStepUps.RecordAsync"/>), spent once; only a session may present one.
    /// </summary>
    public string? StepUpPasskeyProof { get; init; }

    /// <summary>This actor answering a step-up with <paramref name="answer"/> (a code or a passkey proof).</summary>
    public Actor WithStepUp(StepUpAnswer? answer) =>
        this with { StepUpCode = answer?.Code, StepUpPasskeyProof = answer?.PasskeyProof };

    public bool Holds(string permission) => Permissions.Contains(permission);

    /// <summary>Acts through a panel token (long-lived or exchanged): its step-up failures count against that token.</summary>
    public bool IsTokenActor => Kind is ActorKind.Token or ActorKind.AccessToken && TokenId is not null;

    public static readonly IReadOnlySet<string> NoPermissions = new HashSet<string>(StringComparer.Ordinal);

    public static Actor Session(string userId, IReadOnlySet<string> permissions, bool enrolled, string? stepUpCode = null, string via = "on the panel") =>
        new() { UserId = userId, Kind = ActorKind.Session, Permissions = permissions, Enrolled = enrolled, StepUpCode = stepUpCode, Via = via };

    public override string ToString() => $"{Kind} {UserId ?? "system"} {Via}";
}

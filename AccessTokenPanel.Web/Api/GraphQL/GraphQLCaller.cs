using AccessTokenPanel.Domain.Authorization;

namespace AccessTokenPanel.Web.Api.GraphQL;

/// <summary>
/// Who is calling the GraphQL endpoint: the panel user, and the panel token used when the call came
/// with one (null for the session cookie or an external JWT). Kept in the execution's user context.
/// </summary>
public sealed class GraphQLCaller : Dictionary<string, object?>
{
    public required string UserId { get; init; }
    public Guid? TokenId { get; init; }

    /// <summary>The X-OTP header, checked by the issuing mutation.</summary>
    public string? Code { get; init; }

    /// <summary>How the caller authenticated, for the audit entry.</summary>
    public required string Via { get; init; }

    /// <summary>How the caller proved who they are: a session, a panel token (long-lived or exchanged) or an external JWT.</summary>
    public ActorKind Kind { get; init; } = ActorKind.Session;

    /// <summary>
    /// The caller as the Domain's operations see it. GraphQL, like the REST API, acts on the caller's
    /// own tokens only, so the actor carries no permissions whatever the caller holds.
    /// </summary>
    public Actor Actor => new()
    {
        UserId = UserId,
        Kind = Kind,
        Permissions = Actor.NoPermissions,
        Via = Via,
        TokenId = TokenId,
        StepUpCode = string.IsNullOrWhiteSpace(Code) ? null : Code,
    };
}

namespace AccessTokenPanel.Domain.Authorization;

/// <summary>What an operation acts on, which decides how its permission and the rank rule apply.</summary>
public enum OperationScope
{
    /// <summary>Nothing that belongs to a user: the actor needs the operation's permissions.</summary>
    Global,
    /// <summary>
    /// A token: its owner (or, for a service account's token, one of the account's owners) needs no
    /// permission; anyone else needs the operation's permissions, and is refused as if the token did
    /// not exist without them.
    /// </summary>
    Token,
    /// <summary>A user account: the actor needs the operation's permissions.</summary>
    Account,
    /// <summary>
    /// The actor's own things only (their tokens' list, issuing for themselves, their notices); the
    /// owners of a service account act on its things as on their own.
    /// </summary>
    Own,
    /// <summary>
    /// A service account: its active owners may; anyone else needs the operation's permissions (and
    /// passes the rank rule against the service account's role).
    /// </summary>
    ServiceAccount,
}

/// <summary>When an operation asks for a current authentication code.</summary>
public enum StepUpRule
{
    None,
    Always,
    /// <summary>Only when the change widens what a credential may do (e.g. more allowed addresses, or none).</summary>
    WhenWidening,
}

/// <summary>
/// One row of the permission table: an operation every way in (screens, Configuration API, SCIM,
/// REST, GraphQL, OAuth) performs through the same Domain method, and what it needs.
/// </summary>
/// <param name="Name">Stable name, e.g. <c>tokens.rotate</c>; endpoints, GraphQL fields and screen actions name it.</param>
/// <param name="Scope">What it acts on, which decides how the permissions and the rank rule apply.</param>
/// <param name="Permissions">Every one of these is needed (for <see cref="OperationScope.Token"/>: only on others' tokens).</param>
/// <param name="RankRule">Nobody acts on an account, or on a token whose owner, holding permissions the actor lacks.</param>
/// <param name="StepUp">When it asks for a current authentication code.</param>
/// <param name="Actors">The kinds of actor that may perform it at all.</param>
/// <param name="Summary">What it does, for people (the README's table).</param>
public sealed record Operation(
    string Name,
    OperationScope Scope,
    IReadOnlyList<string> Permissions,
    bool RankRule,
    StepUpRule StepUp,
    IReadOnlySet<ActorKind> Actors,
    string Summary)
{
    public override string ToString() => Name;
}

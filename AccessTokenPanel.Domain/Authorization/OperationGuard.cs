using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Authorization;

/// <summary>The codes of authorization refusals, the same on every surface.</summary>
public static class AuthorizationErrors
{
    public const string NotEnrolledCode = "not-enrolled";
    public const string PermissionMissingCode = "permission-missing";
    public const string OutrankedCode = "owner-outranks-actor";
    public const string ActorNotAllowedCode = "actor-not-allowed";
    public const string NotFoundCode = "not-found";

    public static DomainError NotEnrolled { get; } = new(NotEnrolledCode, "",
        "Set up your authenticator app (two-factor authentication) before doing anything else.", ErrorKind.Forbidden);

    public static DomainError PermissionMissing(Operation operation, IEnumerable<string> missing) => new(PermissionMissingCode, "",
        $"You do not hold the permission {string.Join(", ", missing)} that {operation.Name} needs.", ErrorKind.Forbidden);

    public static DomainError ActorNotAllowed(Operation operation, Actor actor) => new(ActorNotAllowedCode, "",
        actor.Kind switch
        {
            ActorKind.ExternalJwt => $"{operation.Name} needs a panel credential; an external identity provider's token cannot do it.",
            ActorKind.AccessToken => $"{operation.Name} cannot be done with an exchanged access token: use the long-lived token, or the panel.",
            _ => $"{operation.Name} cannot be done this way.",
        }, ErrorKind.Forbidden);
}

/// <summary>
/// The one place that decides whether an actor may perform an operation, from the permission table
/// (<see cref="Operations"/>): the kind of actor, enrollment, the operation's permissions, and the
/// rank rule (nobody acts on an account, or on a token whose owner, holding permissions they lack).
/// Step-up and the audit entry are the operation's own, after its input is checked (a mistyped field
/// must not spend the user's one-time code); step-up goes through <see cref="StepUpVerifier"/>.
/// </summary>
public sealed class OperationGuard(PermissionResolver permissions, StepUpVerifier stepUp, PanelDbContext db)
{
    /// <summary>
    /// Null when <paramref name="actor"/> may perform <paramref name="operation"/> on what belongs to
    /// <paramref name="targetUserId"/> (a token's owner, an account; null for nothing user-owned).
    /// <paramref name="notFound"/> is the refusal for a token the actor may not see (never told apart from a missing one).
    /// </summary>
    public async Task<DomainError?> AuthorizeAsync(Actor actor, Operation operation, string? targetUserId = null,
        DomainError? notFound = null, CancellationToken cancellationToken = default)
    {
        if (!operation.Actors.Contains(actor.Kind))
        {
            return AuthorizationErrors.ActorNotAllowed(operation, actor);
        }
        if (actor.Kind != ActorKind.System && !actor.Enrolled)
        {
            return AuthorizationErrors.NotEnrolled;
        }
        var own = targetUserId is not null
            && (targetUserId == actor.UserId
                || (operation.Scope is OperationScope.Own or OperationScope.Token or OperationScope.ServiceAccount
                    && await OwnsServiceAccountAsync(actor, targetUserId, cancellationToken)));
        switch (operation.Scope)
        {
            case OperationScope.ServiceAccount when own:
                return null;
            case OperationScope.Own:
                // Own things only: someone else's is answered like a missing one.
                return targetUserId is null || own ? null : notFound ?? NotFound();
            case OperationScope.Token when own:
                return null;
            case OperationScope.Token when !HoldsAll(actor, operation):
                return notFound ?? NotFound();
        }
        if (!HoldsAll(actor, operation))
        {
            return AuthorizationErrors.PermissionMissing(operation, operation.Permissions.Where(p => !actor.Holds(p)));
        }
        if (operation.RankRule && targetUserId is not null && !own
            && !(await permissions.GetPermissionsAsync(targetUserId, cancellationToken)).IsSubsetOf(actor.Permissions))
        {
            return Outranked(operation);
        }
        return null;
    }

    /// <summary>
    /// Whether the actor is a person who is an active owner of the service account
    /// <paramref name="serviceAccountId"/>: owners act on a service account's tokens as on their own.
    /// </summary>
    public async Task<bool> OwnsServiceAccountAsync(Actor actor, string serviceAccountId, CancellationToken cancellationToken = default) =>
        actor.UserId is { } userId
        && await (from o in db.ServiceAccountOwners
                  join owner in db.Users on o.UserId equals owner.Id
                  join account in db.Users on o.ServiceAccountId equals account.Id
                  where o.ServiceAccountId == serviceAccountId && o.UserId == userId
                      && !owner.IsDisabled && owner.DeletedAt == null && account.IsServiceAccount && account.DeletedAt == null
                  select o).AnyAsync(cancellationToken);

    /// <summary>The operation's step-up: the actor's code, checked once (see <see cref="StepUpVerifier"/>).</summary>
    public Task<DomainError?> StepUpAsync(Actor actor, CancellationToken cancellationToken = default) =>
        stepUp.VerifyAsync(actor, cancellationToken);

    /// <summary>The owner of what is acted on holds permissions the actor lacks.</summary>
    public static DomainError Outranked(Operation operation) => new(AuthorizationErrors.OutrankedCode, "",
        operation.Scope switch
        {
            OperationScope.Token => "The token's owner holds permissions you do not, so you cannot act on their token. Ask them, or someone holding all of their permissions.",
            OperationScope.ServiceAccount => "The service account's role holds permissions you do not, so you cannot change it.",
            _ => "The user holds permissions you do not, so you cannot change this account.",
        },
        ErrorKind.Forbidden);

    private static bool HoldsAll(Actor actor, Operation operation) => operation.Permissions.All(actor.Holds);

    private static DomainError NotFound() => new(AuthorizationErrors.NotFoundCode, "", "There is no such thing, or it is not one you may see.", ErrorKind.NotFound);
}

using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>Checks a request against the domain rules and the token policy, then issues the token.</summary>
public sealed class TokenIssuer(
    PanelDbContext db,
    SettingsStore settingsStore,
    PermissionResolver permissions,
    OperationGuard guard,
    AuditLog audit,
    TimeProvider time)
{
    /// <summary>
    /// <see cref="Operations.IssueToken"/>: a token for the actor themselves (the request's owner is
    /// the actor), after the request's checks and then the actor's step-up code, in that order, so a
    /// mistyped field never spends the one-time code.
    /// </summary>
    public async Task<IssueTokenResult> IssueAsync(Actor actor, IssueTokenRequest request, CancellationToken cancellationToken = default)
    {
        var (own, refusal) = await AuthorizeAsync(actor, request, cancellationToken);
        if (refusal is not null)
        {
            return IssueTokenResult.Failed([refusal]);
        }
        if (await ValidateAsync(own, cancellationToken) is { Count: > 0 } errors)
        {
            return IssueTokenResult.Failed(errors);
        }
        if (await guard.StepUpAsync(actor, cancellationToken) is { } stepUp)
        {
            return IssueTokenResult.Failed([stepUp]);
        }
        return await IssueAsync(own, null, cancellationToken);
    }

    /// <summary>
    /// The checks <see cref="IssueAsync(Actor, IssueTokenRequest, CancellationToken)"/> makes before the step-up code,
    /// without issuing: lets a form report field errors as the user types.
    /// </summary>
    public async Task<IReadOnlyList<DomainError>> ValidateAsync(Actor actor, IssueTokenRequest request, CancellationToken cancellationToken = default)
    {
        var (own, refusal) = await AuthorizeAsync(actor, request, cancellationToken);
        return refusal is not null ? [refusal] : await ValidateAsync(own, cancellationToken);
    }

    private async Task<(IssueTokenRequest Own, DomainError? Refusal)> AuthorizeAsync(Actor actor, IssueTokenRequest request, CancellationToken cancellationToken)
    {
        // Issuing is for oneself: the owner is whoever acts, and so is the audit entry's actor.
        var own = request with { OwnerId = actor.UserId ?? "", ActorId = actor.UserId, ActorVia = actor.Via };
        return (own, await guard.AuthorizeAsync(actor, Operations.IssueToken, actor.UserId, cancellationToken: cancellationToken));
    }

    /// <summary>Issues without authorizing: for the Domain's own derived issuance (exchange, rotation) and test data.</summary>
    internal Task<IssueTokenResult> IssueAsync(IssueTokenRequest request, CancellationToken cancellationToken = default) =>
        IssueAsync(request, null, cancellationToken);

    // tokenId: the new token's id when the caller needs it beforehand (rotation links the old row to it).
    internal async Task<IssueTokenResult> IssueAsync(IssueTokenRequest request, Guid? tokenId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var (errors, name, role, expiresAt, allowed) = await CheckAsync(request, now, cancellationToken);
        if (errors.Count > 0)
        {
            return IssueTokenResult.Failed(errors);
        }

        var secret = TokenSecret.Generate(request.ApiType);
        var token = new AccessToken
        {
            Id = tokenId ?? Guid.CreateVersion7(time.GetUtcNow()),
            OwnerId = request.OwnerId,
            Name = name,
            ApiType = request.ApiType,
            DelegatedRole = request.ApiType == ApiType.Configuration ? role : null,
            SecretHash = TokenSecret.Hash(secret),
            Hint = TokenSecret.Hint(secret),
            CreatedAt = now,
            ExpiresAt = expiresAt!.Value,
            ParentTokenId = request.ParentTokenId,
            Kind = request.Kind,
            AllowedAddresses = allowed,
        };
        db.AccessTokens.Add(token);
        audit.Record(request.ActorId ?? request.OwnerId, AuditActions.TokenCreated, "token", token.Id.ToString(),
            $"{token.ApiType.DisplayName()} token '{token.Name}' ({token.Hint}), expires {token.ExpiresAt:u}"
            + (token.DelegatedRole is null ? "" : $", role {token.DelegatedRole}")
            + (token.AllowedAddresses is null ? "" : $", allowed addresses {token.AllowedAddresses}")
            + (request.ActorVia is null ? "" : $", {request.ActorVia}"));
        await db.SaveChangesAsync(cancellationToken);
        Telemetry.PanelMetrics.TokenIssued(token.ApiType, token.Kind);
        return IssueTokenResult.Success(token, secret);
    }

    /// <summary>The request's checks, without authorizing or issuing.</summary>
    internal async Task<IReadOnlyList<DomainError>> ValidateAsync(IssueTokenRequest request, CancellationToken cancellationToken = default) =>
        (await CheckAsync(request, time.GetUtcNow().UtcDateTime, cancellationToken)).Errors;

    private async Task<(List<DomainError> Errors, string Name, string? Role, DateTime? ExpiresAt, string? AllowedAddresses)> CheckAsync(
        IssueTokenRequest request, DateTime now, CancellationToken cancellationToken)
    {
        var errors = new List<DomainError>();

        var owner = await db.Users.AsNoTracking()
            .Where(u => u.Id == request.OwnerId)
            .Select(u => new { u.IsDisabled })
            .SingleOrDefaultAsync(cancellationToken);
        if (owner is null)
        {
            return ([new(TokenErrorCodes.OwnerUnknown, TokenFields.Owner, "The token's owner does not exist.")], "", null, null, null);
        }
        if (owner.IsDisabled)
        {
            return ([new(TokenErrorCodes.OwnerDisabled, TokenFields.Owner, "The token's owner is disabled.")], "", null, null, null);
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new(TokenErrorCodes.NameRequired, TokenFields.Name, "Enter a name for the token."));
        }
        else if (name.Length > TokenRules.MaxNameLength)
        {
            errors.Add(new(TokenErrorCodes.NameTooLong, TokenFields.Name, $"The name must be at most {TokenRules.MaxNameLength} characters."));
        }
        // Access tokens carry their parent's name; only long-lived tokens must be told apart by name.
        // A rotated token lives on through its overlap under the name its replacement took over.
        else if (request.Kind == TokenKind.Standard && await db.AccessTokens.AnyAsync(
            t => t.OwnerId == request.OwnerId && t.Name == name && t.RevokedAt == null && t.ExpiresAt > now
                && t.Kind == TokenKind.Standard && t.RotatedAt == null, cancellationToken))
        {
            errors.Add(new(TokenErrorCodes.NameTaken, TokenFields.Name, "You already have an active token with this name."));
        }

        var settings = await settingsStore.GetAsync(cancellationToken);
        var ownerPermissions = await permissions.GetPermissionsAsync(request.OwnerId, cancellationToken);
        if (!Enum.IsDefined(request.ApiType))
        {
            errors.Add(new(TokenErrorCodes.ApiUnknown, TokenFields.Api, "Choose Configuration API, SCIM API or REST API."));
        }
        else if (!settings.Allows(request.ApiType))
        {
            errors.Add(new(TokenErrorCodes.ApiDisabled, TokenFields.Api, $"The token policy does not allow {request.ApiType.DisplayName()} tokens."));
        }
        else if (request.ApiType == ApiType.Scim && !ownerPermissions.Contains(Permission.UsersWrite))
        {
            // A SCIM token provisions users, so only someone who may manage users can hold one.
            errors.Add(new(TokenErrorCodes.ApiNotPermitted, TokenFields.Api, "SCIM API tokens need the permission to manage users."));
        }

        var role = request.DelegatedRole?.Trim();
        if (request.ApiType == ApiType.Configuration)
        {
            if (string.IsNullOrEmpty(role))
            {
                errors.Add(new(TokenErrorCodes.RoleRequired, TokenFields.Role, "Choose the role this Configuration API token acts with."));
            }
            else if (PanelRoles.Find(role) is not { } panelRole)
            {
                errors.Add(new(TokenErrorCodes.RoleUnknown, TokenFields.Role, $"There is no role named '{role}'."));
            }
            else if (!PanelRoles.CanDelegate(ownerPermissions, panelRole))
            {
                errors.Add(new(TokenErrorCodes.RoleNotDelegable, TokenFields.Role, $"You can only delegate a role whose permissions you hold; you do not hold all of {panelRole.Name}."));
            }
        }
        else if (!string.IsNullOrEmpty(role))
        {
            errors.Add(new(TokenErrorCodes.RoleNotApplicable, TokenFields.Role, "Only Configuration API tokens carry a delegated role."));
        }

        var (expiresAt, expiryError) = ExpiryPolicy.Resolve(request.Expiry, now, settings.MaxLifetimeDays);
        if (expiryError is not null)
        {
            errors.Add(expiryError);
        }

        var allowlist = AddressAllowlist.Parse(request.AllowedAddresses);
        errors.AddRange(allowlist.Errors);

        return (errors, name, role, expiresAt, allowlist.Stored);
    }
}

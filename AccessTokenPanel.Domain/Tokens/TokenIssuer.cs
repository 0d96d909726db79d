using AccessTokenPanel.Domain.Approvals;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.Settings;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>Checks a request against the domain rules and the token policy, then issues the token.</summary>
public sealed class TokenIssuer(
    PanelDbContext db,
    SettingsStore settingsStore,
    PermissionResolver permissions,
    OperationGuard guard,
    TokenPolicies policies,
    NoticeBoard notices,
    AuditLog audit,
    TimeProvider time)
{
    /// <summary>
    /// <see cref="Operations.IssueToken"/>: a token for the actor themselves, or for a service account
    /// they own (<see cref="IssueTokenRequest.OwnerId"/>), after the request's checks and the token
    /// policy, then the actor's step-up code, in that order, so a mistyped field never spends the
    /// one-time code. When the policy wants approval, a pending request is made instead and no secret exists.
    /// </summary>
    public async Task<IssueTokenResult> IssueAsync(Actor actor, IssueTokenRequest request, CancellationToken cancellationToken = default)
    {
        var (own, refusal) = await AuthorizeAsync(actor, request, cancellationToken);
        if (refusal is not null)
        {
            return IssueTokenResult.Failed([refusal]);
        }
        var (errors, needsApproval, serviceAccount) = await CheckWithPolicyAsync(own, cancellationToken);
        if (errors.Count > 0)
        {
            return IssueTokenResult.Failed(errors);
        }
        if (await guard.StepUpAsync(actor, cancellationToken) is { } stepUp)
        {
            return IssueTokenResult.Failed([stepUp]);
        }
        if (needsApproval)
        {
            return IssueTokenResult.Pending(await RequestApprovalAsync(actor, own, cancellationToken));
        }
        var issued = await IssueAsync(own, null, cancellationToken);
        if (issued.Succeeded && (serviceAccount is not null || actor.Kind != ActorKind.Session))
        {
            // The people answerable for the token hear of it when it was not made by them on the panel.
            await notices.AddForOwnersAsync(issued.Token!, NoticeKind.Created, NoticeBoard.CreatedKey,
                exceptUserId: actor.Kind == ActorKind.Session ? actor.UserId : null,
                details: $"by user {actor.UserId} {actor.Via}" + (serviceAccount is null ? "" : $" for service account '{serviceAccount}'"),
                cancellationToken: cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        return issued;
    }

    /// <summary>
    /// Issues what an approved request asked for, for <see cref="TokenRequests"/> once it has claimed
    /// the request; the policy's bounds are checked again as they stand now (not the approval rule).
    /// </summary>
    internal Task<IssueTokenResult> IssueApprovedAsync(IssueTokenRequest request, Guid tokenId, CancellationToken cancellationToken) =>
        IssueAsync(request, tokenId, cancellationToken);

    private async Task<TokenRequest> RequestApprovalAsync(Actor actor, IssueTokenRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var pending = new TokenRequest
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            RequesterId = actor.UserId!,
            OwnerId = request.OwnerId,
            Name = request.Name!.Trim(),
            ApiType = request.ApiType,
            DelegatedRole = request.ApiType == ApiType.Configuration ? request.DelegatedRole?.Trim() : null,
            ExpiryDays = request.Expiry?.Days,
            ExpiryDate = request.Expiry?.Date,
            ExpiryInstant = request.Expiry?.Instant,
            AllowedAddresses = AddressAllowlist.Parse(request.AllowedAddresses).Stored,
            Status = TokenRequestStatus.Pending,
            CreatedAt = now,
        };
        db.TokenRequests.Add(pending);
        // Those who may decide it hear of it: holders of tokens.approve whom the rank rule lets act on
        // the token's owner; never the requester.
        var ownerPermissions = await permissions.GetPermissionsAsync(request.OwnerId, cancellationToken);
        var candidates = await (from userRole in db.UserRoles
                                join role in db.Roles on userRole.RoleId equals role.Id
                                join user in db.Users on userRole.UserId equals user.Id
                                where user.Id != actor.UserId && user.Id != request.OwnerId && !user.IsServiceAccount && !user.IsDisabled && user.DeletedAt == null
                                select new { user.Id, role.Name }).ToListAsync(cancellationToken);
        foreach (var approver in candidates.GroupBy(c => c.Id)
                     .Where(g => PanelRoles.PermissionsOf(g.Select(c => c.Name).OfType<string>()) is var held
                         && held.Contains(Permission.TokensApprove) && ownerPermissions.IsSubsetOf(held))
                     .Select(g => g.Key))
        {
            notices.AddWithoutToken(approver, pending.Name, NoticeKind.RequestWaiting, $"request-{pending.Id:N}",
                $"{pending.ApiType.DisplayName()} token requested by user {actor.UserId}" + (pending.DelegatedRole is null ? "" : $" with role {pending.DelegatedRole}"));
        }
        audit.Record(actor.UserId, AuditActions.TokenRequested, "token-request", pending.Id.ToString(),
            $"{pending.ApiType.DisplayName()} token '{pending.Name}' for {(pending.OwnerId == actor.UserId ? "themselves" : $"service account {pending.OwnerId}")}"
            + (pending.DelegatedRole is null ? "" : $", role {pending.DelegatedRole}") + $", waits for approval, {actor.Via}");
        await db.SaveChangesAsync(cancellationToken);
        return pending;
    }

    /// <summary>
    /// The request's checks and the token policy of its API (who may create, required addresses),
    /// and whether the policy makes it wait for approval; the service account's name when it is for one.
    /// </summary>
    private async Task<(IReadOnlyList<DomainError> Errors, bool NeedsApproval, string? ServiceAccount)> CheckWithPolicyAsync(
        IssueTokenRequest request, CancellationToken cancellationToken)
    {
        var errors = (await ValidateAsync(request, cancellationToken)).ToList();
        if (!Enum.IsDefined(request.ApiType) || errors.Any(e => e.Field == TokenFields.Owner))
        {
            return (errors, false, null);
        }
        var policy = await policies.GetAsync(request.ApiType, cancellationToken);
        var owner = await db.Users.AsNoTracking().Where(u => u.Id == request.OwnerId)
            .Select(u => new { u.IsServiceAccount, u.DisplayName }).SingleAsync(cancellationToken);
        var ownerRoles = await (from userRole in db.UserRoles
                                join role in db.Roles on userRole.RoleId equals role.Id
                                where userRole.UserId == request.OwnerId
                                select role.Name).ToListAsync(cancellationToken);
        if (owner.IsServiceAccount ? !policy.ServiceAccountTokens : !policy.PersonMayCreate(ownerRoles.OfType<string>()))
        {
            errors.Insert(0, new(TokenErrorCodes.CreatorNotAllowed, TokenFields.Api, CreatorRefusal(policy, owner.IsServiceAccount), ErrorKind.Forbidden));
        }
        if (policy.AddressesRequired && (request.AllowedAddresses is null || request.AllowedAddresses.All(string.IsNullOrWhiteSpace)))
        {
            errors.Add(new(TokenErrorCodes.AddressesRequired, TokenFields.AllowedAddresses,
                $"The token policy requires {request.ApiType.DisplayName()} tokens to name the client addresses they may be used from."));
        }
        var ownerPermissions = PanelRoles.PermissionsOf(ownerRoles.OfType<string>());
        // What the token would act with: a Configuration token its role as far as the owner holds it, a SCIM token its owner's permissions.
        IReadOnlySet<string> acts = request.ApiType switch
        {
            ApiType.Configuration => (PanelRoles.Find(request.DelegatedRole?.Trim())?.Permissions ?? Actor.NoPermissions)
                .Where(ownerPermissions.Contains).ToHashSet(StringComparer.Ordinal),
            ApiType.Scim => ownerPermissions,
            _ => Actor.NoPermissions,
        };
        // The rank rule for a service account's token: its owner gives it nothing they do not hold themselves.
        if (owner.IsServiceAccount && request.ActorId is { } actorId && request.ApiType != ApiType.Rest
            && !acts.IsSubsetOf(await permissions.GetPermissionsAsync(actorId, cancellationToken)))
        {
            errors.Add(new(TokenErrorCodes.RoleNotDelegable, request.ApiType == ApiType.Configuration ? TokenFields.Role : TokenFields.Api,
                "This token would carry permissions that you do not hold yourself: someone holding them must issue it.", ErrorKind.Forbidden));
        }
        return (errors, policy.NeedsApproval(acts, owner.IsServiceAccount),
            owner.IsServiceAccount ? owner.DisplayName : null);
    }

    private static string CreatorRefusal(TokenPolicy policy, bool serviceAccount) =>
        serviceAccount ? $"The token policy does not allow {policy.ApiType.DisplayName()} tokens for service accounts."
        : policy.CreatorRoleList is { Count: 0 } ? $"The token policy allows {policy.ApiType.DisplayName()} tokens for service accounts only."
        : $"The token policy lets only holders of {string.Join(" or ", policy.CreatorRoleList!)} create {policy.ApiType.DisplayName()} tokens.";

    /// <summary>
    /// The checks <see cref="IssueAsync(Actor, IssueTokenRequest, CancellationToken)"/> makes before the step-up code,
    /// without issuing: lets a form report field errors as the user types.
    /// </summary>
    public async Task<IReadOnlyList<DomainError>> ValidateAsync(Actor actor, IssueTokenRequest request, CancellationToken cancellationToken = default)
    {
        var (own, refusal) = await AuthorizeAsync(actor, request, cancellationToken);
        return refusal is not null ? [refusal] : (await CheckWithPolicyAsync(own, cancellationToken)).Errors;
    }

    /// <summary>Whether issuing <paramref name="request"/> as it stands would wait for approval (the dialog says so before the code is spent).</summary>
    public async Task<bool> NeedsApprovalAsync(Actor actor, IssueTokenRequest request, CancellationToken cancellationToken = default)
    {
        var (own, refusal) = await AuthorizeAsync(actor, request, cancellationToken);
        return refusal is null && (await CheckWithPolicyAsync(own, cancellationToken)) is { Errors.Count: 0, NeedsApproval: true };
    }

    private async Task<(IssueTokenRequest Own, DomainError? Refusal)> AuthorizeAsync(Actor actor, IssueTokenRequest request, CancellationToken cancellationToken)
    {
        // Issuing is for oneself, or for a service account one owns: anything else reads as not found.
        // The audit entry's actor is whoever acts.
        var owner = string.IsNullOrEmpty(request.OwnerId) ? actor.UserId ?? "" : request.OwnerId;
        var own = request with { OwnerId = owner, ActorId = actor.UserId, ActorVia = owner == actor.UserId ? actor.Via : $"{actor.Via}, for service account {owner}" };
        return (own, await guard.AuthorizeAsync(actor, Operations.IssueToken, owner, cancellationToken: cancellationToken));
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

        // The API's own maximum when its policy sets one, else the general one.
        var maxLifetimeDays = Enum.IsDefined(request.ApiType)
            ? (await policies.GetAsync(request.ApiType, cancellationToken)).MaxLifetimeDays ?? settings.MaxLifetimeDays
            : settings.MaxLifetimeDays;
        var (expiresAt, expiryError) = ExpiryPolicy.Resolve(request.Expiry, now, maxLifetimeDays);
        if (expiryError is not null)
        {
            errors.Add(expiryError);
        }

        var allowlist = AddressAllowlist.Parse(request.AllowedAddresses);
        errors.AddRange(allowlist.Errors);

        return (errors, name, role, expiresAt, allowlist.Stored);
    }
}

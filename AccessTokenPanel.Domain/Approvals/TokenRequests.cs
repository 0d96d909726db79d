using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Approvals;

/// <summary>A token request as a list shows it, with its status at the time it was read.</summary>
public sealed record TokenRequestView(TokenRequest Request, TokenRequestStatus Status, string RequesterName, string OwnerName, string? DeciderName);

/// <summary>
/// Token requests that wait for approval (<see cref="TokenIssuer"/> makes them when the policy says
/// so): listed for the requester and the approvers, approved or denied by someone else holding
/// <c>tokens.approve</c> (rank rule against the token's owner), and taken once by the requester with
/// a fresh code. The database decides every race: a decision and a take are conditional updates.
/// </summary>
public sealed class TokenRequests(
    PanelDbContext db,
    OperationGuard guard,
    TokenIssuer issuer,
    NoticeBoard notices,
    AuditLog audit,
    TimeProvider time)
{
    public const string NotFoundCode = TokenRequestErrorCodes.NotFound;
    public const string NotPendingCode = TokenRequestErrorCodes.NotPending;
    public const string OwnRequestCode = TokenRequestErrorCodes.OwnRequest;
    public const string ReasonRequiredCode = TokenRequestErrorCodes.ReasonRequired;
    public const string ReasonField = "Reason";

    public static readonly DomainError NotFound = new(NotFoundCode, "", "There is no such token request, or it is not one you may see.", ErrorKind.NotFound);

    /// <summary><see cref="Operations.ListOwnTokenRequests"/>: the actor's requests, newest first.</summary>
    public async Task<Result<IReadOnlyList<TokenRequestView>>> ListOwnAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.ListOwnTokenRequests, actor.UserId, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        return Result<IReadOnlyList<TokenRequestView>>.Ok(await ViewsAsync(db.TokenRequests.Where(r => r.RequesterId == actor.UserId), cancellationToken));
    }

    /// <summary><see cref="Operations.ListPendingTokenRequests"/>: requests waiting for a decision (lapsed ones are not), oldest first.</summary>
    public async Task<Result<IReadOnlyList<TokenRequestView>>> ListPendingAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.ListPendingTokenRequests, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        var lapsedBefore = time.GetUtcNow().UtcDateTime.AddDays(-TokenRequest.LapseDays);
        var views = await ViewsAsync(db.TokenRequests.Where(r => r.Status == TokenRequestStatus.Pending && r.CreatedAt > lapsedBefore), cancellationToken);
        return Result<IReadOnlyList<TokenRequestView>>.Ok(views.Reverse().ToList());
    }

    /// <summary>One request: the requester's own, or any with <c>tokens.approve</c>.</summary>
    public async Task<Result<TokenRequestView>> ReadAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var views = await ViewsAsync(db.TokenRequests.Where(r => r.Id == id), cancellationToken);
        if (views.Count == 0)
        {
            return NotFound;
        }
        var view = views[0];
        if (view.Request.RequesterId != actor.UserId
            && await guard.AuthorizeAsync(actor, Operations.ListPendingTokenRequests, cancellationToken: cancellationToken) is not null)
        {
            return NotFound;
        }
        return Result<TokenRequestView>.Ok(view);
    }

    /// <summary>
    /// <see cref="Operations.DecideTokenRequest"/>: approves or denies a pending request. Never the
    /// requester's own; never one for an owner who holds permissions the actor lacks; a reason is needed.
    /// </summary>
    public async Task<Result<TokenRequestView>> DecideAsync(Actor actor, Guid id, bool approve, string? reason, CancellationToken cancellationToken = default)
    {
        var request = await db.TokenRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return NotFound;
        }
        if (await guard.AuthorizeAsync(actor, Operations.DecideTokenRequest, request.OwnerId, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        if (request.RequesterId == actor.UserId || request.OwnerId == actor.UserId)
        {
            return new DomainError(OwnRequestCode, "", "You cannot decide your own token request: someone else must.", ErrorKind.Forbidden);
        }
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > TokenRequest.ReasonMaxLength)
        {
            return new DomainError(ReasonRequiredCode, ReasonField, $"Give a reason (1 to {TokenRequest.ReasonMaxLength} characters): the requester reads it.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var lapsedBefore = now.AddDays(-TokenRequest.LapseDays);
        var status = approve ? TokenRequestStatus.Approved : TokenRequestStatus.Denied;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Two approvers at once, or an approval as it lapses: one conditional update decides.
        var decided = await db.TokenRequests
            .Where(r => r.Id == id && r.Status == TokenRequestStatus.Pending && r.CreatedAt > lapsedBefore)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.DecidedAt, now)
                .SetProperty(r => r.DeciderId, actor.UserId)
                .SetProperty(r => r.Reason, reason), cancellationToken);
        if (decided != 1)
        {
            return new DomainError(NotPendingCode, "", "This request is no longer waiting for a decision (decided by someone else, or lapsed).", ErrorKind.Conflict);
        }
        audit.Record(actor.UserId, approve ? AuditActions.TokenRequestApproved : AuditActions.TokenRequestDenied, "token-request", id.ToString(),
            $"{request.ApiType.DisplayName()} token '{request.Name}' requested by user {request.RequesterId} for {request.OwnerId}"
            + $" {(approve ? "approved" : "denied")}: {reason}, {actor.Via}");
        notices.AddWithoutToken(request.RequesterId, request.Name, NoticeKind.RequestDecided, $"request-{id:N}"[..NoticeKeyLength],
            $"{(approve ? "approved" : "denied")}: {reason}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await ReadAsync(actor with { UserId = request.RequesterId }, id, cancellationToken);
    }

    private const int NoticeKeyLength = 40;

    /// <summary>
    /// <see cref="Operations.TakeTokenRequest"/>: the requester's approved request becomes a token,
    /// and its secret is returned this once. A fresh code is needed; the request is claimed by a
    /// conditional update in the same transaction as the token, so a second take (or two at once) gets nothing.
    /// </summary>
    public async Task<IssueTokenResult> TakeAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var request = await db.TokenRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null || request.RequesterId != actor.UserId)
        {
            return IssueTokenResult.Failed([NotFound]);
        }
        if (await guard.AuthorizeAsync(actor, Operations.TakeTokenRequest, request.RequesterId, NotFound, cancellationToken) is { } refused)
        {
            return IssueTokenResult.Failed([refused]);
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (request.StatusAt(now) != TokenRequestStatus.Approved)
        {
            return IssueTokenResult.Failed([new(NotPendingCode, "", request.StatusAt(now) switch
            {
                TokenRequestStatus.Taken => "The secret of this request was taken already: it is shown only once.",
                TokenRequestStatus.Pending => "This request is still waiting for approval.",
                TokenRequestStatus.Denied => "This request was denied.",
                _ => "This request lapsed: it was not taken within 7 days. Ask again.",
            }, ErrorKind.Conflict)]);
        }
        if (await guard.StepUpAsync(actor, cancellationToken) is { } stepUp)
        {
            return IssueTokenResult.Failed([stepUp]);
        }
        var tokenId = Guid.CreateVersion7(time.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var lapsedBefore = now.AddDays(-TokenRequest.LapseDays);
        var claimed = await db.TokenRequests
            .Where(r => r.Id == id && r.Status == TokenRequestStatus.Approved && r.DecidedAt > lapsedBefore)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, TokenRequestStatus.Taken).SetProperty(r => r.TakenAt, now)
                .SetProperty(r => r.TokenId, tokenId), cancellationToken);
        if (claimed != 1)
        {
            return IssueTokenResult.Failed([new(NotPendingCode, "", "The secret of this request was taken already: it is shown only once.", ErrorKind.Conflict)]);
        }
        audit.Record(actor.UserId, AuditActions.TokenRequestTaken, "token-request", id.ToString(),
            $"secret of approved {request.ApiType.DisplayName()} token '{request.Name}' taken as token {tokenId}, {actor.Via}");
        var issued = await issuer.IssueApprovedAsync(new IssueTokenRequest(request.OwnerId, request.Name, request.ApiType, request.DelegatedRole,
            request.Expiry, ActorId: actor.UserId, AllowedAddresses: AddressAllowlist.Entries(request.AllowedAddresses),
            ActorVia: $"{actor.Via}, approved request {id} (approved by user {request.DeciderId})"), tokenId, cancellationToken);
        if (!issued.Succeeded)
        {
            // Today's rules refuse it (the owner was disabled, the policy shortened meanwhile...): nothing is taken.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return issued;
        }
        await transaction.CommitAsync(cancellationToken);
        return issued;
    }

    private async Task<IReadOnlyList<TokenRequestView>> ViewsAsync(IQueryable<TokenRequest> requests, CancellationToken cancellationToken)
    {
        var rows = await (from r in requests.AsNoTracking()
                          join requester in db.Users on r.RequesterId equals requester.Id
                          join owner in db.Users on r.OwnerId equals owner.Id
                          from decider in db.Users.Where(u => u.Id == r.DeciderId).DefaultIfEmpty()
                          orderby r.CreatedAt descending
                          select new { r, Requester = requester.Email ?? requester.DisplayName, Owner = owner.IsServiceAccount ? owner.DisplayName : owner.Email, Decider = decider == null ? null : decider.Email })
            .Take(200)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return rows.Select(x => new TokenRequestView(x.r, x.r.StatusAt(now), x.Requester, x.Owner ?? x.r.OwnerId, x.Decider)).ToList();
    }
}

/// <summary>The codes of token request refusals.</summary>
public static class TokenRequestErrorCodes
{
    public const string NotFound = "token-request-not-found";
    public const string NotPending = "token-request-not-pending";
    public const string OwnRequest = "token-request-own";
    public const string ReasonRequired = "reason-required";
}

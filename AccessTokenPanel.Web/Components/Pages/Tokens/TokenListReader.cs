using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

/// <param name="Derived">The live access tokens exchanged for this token, when there are any.</param>
public sealed record TokenRow(AccessToken Token, string? OwnerEmail, DerivedTokenSummary? Derived = null);

/// <param name="Rows">The requested page.</param>
/// <param name="Total">How many tokens match the filters, counted up to <see cref="TokenListReader.CountLimit"/>.</param>
/// <param name="Page">The page shown (clamped to the last one).</param>
/// <param name="AnyAtAll">Whether there is any token before filtering (tells "no tokens yet" from "none match").</param>
/// <param name="MoreThanTotal">More match than were counted: only the first <see cref="TokenListReader.CountLimit"/> are paged.</param>
public sealed record TokenPage(IReadOnlyList<TokenRow> Rows, int Total, int Page, bool AnyAtAll, bool MoreThanTotal = false)
{
    public int PageCount => Math.Max(1, (Total + TokenListState.PageSize - 1) / TokenListState.PageSize);
}

/// <summary>
/// Reads one page of tokens for the list: filtered, sorted and paged in the database. Short-lived
/// access tokens (exchanged at the OAuth token endpoint, often one an hour per script) are no rows of their
/// own: each parent on the page carries a summary of its live ones instead.
/// </summary>
public sealed class TokenListReader(PanelDbContext db, DerivedTokenSummaries derived)
{
    /// <summary>
    /// Matches are counted (and paged) up to this many, like a search engine's results: an exact
    /// count of a large inventory reads every row (about 25 ms for 100,000 tokens), a bounded one
    /// stops early. Past it the list says "more than 1,000" and asks for a narrower filter.
    /// </summary>
    public const int CountLimit = 1000;

    /// <summary>Up to this many owners matching the owner filter are looked up by id.</summary>
    private const int FewOwners = 50;

    /// <param name="ownerId">The owner whose tokens to list, or null for everyone's (the inventory).</param>
    public async Task<TokenPage> ReadAsync(TokenListState state, string? ownerId, DateTime now, CancellationToken cancellationToken = default)
    {
        // Tokens alone (every token has an owner: the foreign key cascades), so the database pages
        // them straight from the (OwnerId, CreatedAt) or CreatedAt index; owners' emails are read
        // for the page's rows only.
        var all = db.AccessTokens.AsNoTracking().Where(t => t.Kind != TokenKind.Access);
        if (ownerId is not null)
        {
            all = all.Where(t => t.OwnerId == ownerId);
        }
        var anyAtAll = await all.AnyAsync(cancellationToken);

        var query = state.Status switch
        {
            "active" => all.Where(t => t.RevokedAt == null && t.ExpiresAt > now),
            "expired" => all.Where(t => t.RevokedAt == null && t.ExpiresAt <= now),
            "revoked" => all.Where(t => t.RevokedAt != null),
            "expiring7" => all.Where(t => t.RevokedAt == null && t.ExpiresAt > now && t.ExpiresAt <= now.AddDays(7)),
            "expiring30" => all.Where(t => t.RevokedAt == null && t.ExpiresAt > now && t.ExpiresAt <= now.AddDays(30)),
            "all" => all,
            // Revoked tokens are history: hidden unless asked for.
            _ => all.Where(t => t.RevokedAt == null),
        };
        if (state.Usage == "never")
        {
            query = query.Where(t => t.LastUsedAt == null);
        }
        else if (state.Usage == "idle90")
        {
            var since = now.AddDays(-Domain.Usage.TokenUsageHistory.RetainedDays);
            query = query.Where(t => t.LastUsedAt == null || t.LastUsedAt < since);
        }
        if (state.ApiFilter is { } api)
        {
            query = query.Where(t => t.ApiType == api);
        }
        if (ownerId is null && state.Owner is { } owner)
        {
            // Normalized (upper-case) email: a case-insensitive match on every provider.
            // The matching owners first: when they are few, their tokens are read through the
            // (OwnerId, CreatedAt) index instead of testing the owner of every token in the table.
            var normalized = owner.ToUpperInvariant();
            var owners = db.Users.Where(u => u.NormalizedEmail != null && u.NormalizedEmail.Contains(normalized)).Select(u => u.Id);
            var few = await owners.Take(FewOwners + 1).ToListAsync(cancellationToken);
            query = few.Count <= FewOwners
                ? query.Where(t => few.Contains(t.OwnerId))
                : query.Join(owners, t => t.OwnerId, id => id, (t, _) => t);
        }

        var counted = await query.Take(CountLimit + 1).CountAsync(cancellationToken);
        var total = Math.Min(counted, CountLimit);
        var pageCount = Math.Max(1, (total + TokenListState.PageSize - 1) / TokenListState.PageSize);
        var page = Math.Clamp(state.Page, 1, pageCount);

        var sorted = (state.SortKey, state.Descending) switch
        {
            ("name", false) => query.OrderBy(t => t.Name),
            ("name", true) => query.OrderByDescending(t => t.Name),
            ("api", false) => query.OrderBy(t => t.ApiType),
            ("api", true) => query.OrderByDescending(t => t.ApiType),
            ("role", false) => query.OrderBy(t => t.DelegatedRole),
            ("role", true) => query.OrderByDescending(t => t.DelegatedRole),
            ("expires", false) => query.OrderBy(t => t.ExpiresAt),
            ("expires", true) => query.OrderByDescending(t => t.ExpiresAt),
            // Where never-used tokens go is said, not left to the provider (PostgreSQL puts NULL last
            // ascending, SQLite and SQL Server first): least recently used first starts with the
            // never used ones, the tokens to delete first; most recent first ends with them.
            ("lastused", false) => query.OrderBy(t => t.LastUsedAt != null).ThenBy(t => t.LastUsedAt),
            ("lastused", true) => query.OrderBy(t => t.LastUsedAt == null).ThenByDescending(t => t.LastUsedAt),
            (_, false) => query.OrderBy(t => t.CreatedAt),
            (_, true) => query.OrderByDescending(t => t.CreatedAt),
        };
        // Ties (same API, same role) read alphabetically, then stably. Creation times hardly tie:
        // newest first breaks them by id in the same direction, so (CreatedAt, Id) serves the whole order.
        var ordered = state.SortKey == "created"
            ? (state.Descending ? sorted.ThenByDescending(t => t.Id) : sorted.ThenBy(t => t.Id))
            : sorted.ThenBy(t => t.Name).ThenBy(t => t.Id);
        var tokens = await ordered
            .Skip((page - 1) * TokenListState.PageSize)
            .Take(TokenListState.PageSize)
            .ToListAsync(cancellationToken);
        var ownerIds = tokens.Select(t => t.OwnerId).Distinct().ToList();
        var emails = await OwnerLabelsAsync(ownerIds, cancellationToken);
        // Revoked parents have none (revoking revokes what was derived), so only the others are asked about.
        var summaries = await derived.ForParentsAsync(tokens.Where(t => t.RevokedAt == null).Select(t => t.Id).ToList(), cancellationToken);
        var rows = tokens.Select(t => new TokenRow(t, emails.GetValueOrDefault(t.OwnerId), summaries.GetValueOrDefault(t.Id))).ToList();
        return new TokenPage(rows, total, page, anyAtAll, MoreThanTotal: counted > CountLimit);
    }

    /// <summary>One token with its owner's email; limited to <paramref name="ownerId"/>'s when given.</summary>
    public async Task<TokenRow?> FindAsync(Guid tokenId, string? ownerId, CancellationToken cancellationToken = default)
    {
        var token = await db.AccessTokens.AsNoTracking()
            .SingleOrDefaultAsync(t => t.Id == tokenId && (ownerId == null || t.OwnerId == ownerId), cancellationToken);
        return token is null ? null
            : new TokenRow(token, ownerId is null ? (await OwnerLabelsAsync([token.OwnerId], cancellationToken)).GetValueOrDefault(token.OwnerId) : null);
    }

    /// <summary>
    /// How each owner is named in a list: a person by email, a service account by name, marked when
    /// no active owner is left for it.
    /// </summary>
    private async Task<Dictionary<string, string?>> OwnerLabelsAsync(List<string> ownerIds, CancellationToken cancellationToken)
    {
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.IsServiceAccount,
                u.DisplayName,
                Ownerless = u.IsServiceAccount && !db.ServiceAccountOwners.Any(o => o.ServiceAccountId == u.Id
                    && db.Users.Any(p => p.Id == o.UserId && !p.IsDisabled && p.DeletedAt == null)),
            })
            .ToListAsync(cancellationToken);
        return owners.ToDictionary(o => o.Id, o => o.IsServiceAccount
            ? $"Service account {o.DisplayName}" + (o.Ownerless ? " (no active owner)" : "")
            : o.Email);
    }

    /// <summary>
    /// How many of the owner's long-lived tokens are not revoked (what "Delete all my tokens" revokes;
    /// their access tokens go with them and are not counted apart).
    /// </summary>
    public Task<int> CountLiveAsync(string ownerId, CancellationToken cancellationToken = default) =>
        db.AccessTokens.CountAsync(t => t.OwnerId == ownerId && t.RevokedAt == null && t.Kind != TokenKind.Access, cancellationToken);
}

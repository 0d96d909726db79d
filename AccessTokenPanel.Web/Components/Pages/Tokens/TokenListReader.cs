using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

public sealed record TokenRow(AccessToken Token, string? OwnerEmail);

/// <param name="Rows">The requested page.</param>
/// <param name="Total">How many tokens match the filters.</param>
/// <param name="Page">The page shown (clamped to the last one).</param>
/// <param name="AnyAtAll">Whether there is any token before filtering (tells "no tokens yet" from "none match").</param>
public sealed record TokenPage(IReadOnlyList<TokenRow> Rows, int Total, int Page, bool AnyAtAll)
{
    public int PageCount => Math.Max(1, (Total + TokenListState.PageSize - 1) / TokenListState.PageSize);
}

/// <summary>Reads one page of tokens for the list: filtered, sorted and paged in the database.</summary>
public sealed class TokenListReader(PanelDbContext db)
{
    /// <param name="ownerId">The owner whose tokens to list, or null for everyone's (the inventory).</param>
    public async Task<TokenPage> ReadAsync(TokenListState state, string? ownerId, DateTime now, CancellationToken cancellationToken = default)
    {
        var all = from token in db.AccessTokens.AsNoTracking()
                  join user in db.Users on token.OwnerId equals user.Id
                  select new { Token = token, user.Email, user.NormalizedEmail };
        if (ownerId is not null)
        {
            all = all.Where(x => x.Token.OwnerId == ownerId);
        }
        var anyAtAll = await all.AnyAsync(cancellationToken);

        var query = state.Status switch
        {
            "active" => all.Where(x => x.Token.RevokedAt == null && x.Token.ExpiresAt > now),
            "expired" => all.Where(x => x.Token.RevokedAt == null && x.Token.ExpiresAt <= now),
            "revoked" => all.Where(x => x.Token.RevokedAt != null),
            "all" => all,
            // Revoked tokens are history: hidden unless asked for.
            _ => all.Where(x => x.Token.RevokedAt == null),
        };
        if (state.ApiFilter is { } api)
        {
            query = query.Where(x => x.Token.ApiType == api);
        }
        if (ownerId is null && state.Owner is { } owner)
        {
            // Normalized (upper-case) email: a case-insensitive match on every provider.
            var normalized = owner.ToUpperInvariant();
            query = query.Where(x => x.NormalizedEmail != null && x.NormalizedEmail.Contains(normalized));
        }

        var total = await query.CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (total + TokenListState.PageSize - 1) / TokenListState.PageSize);
        var page = Math.Clamp(state.Page, 1, pageCount);

        var sorted = (state.SortKey, state.Descending) switch
        {
            ("name", false) => query.OrderBy(x => x.Token.Name),
            ("name", true) => query.OrderByDescending(x => x.Token.Name),
            ("api", false) => query.OrderBy(x => x.Token.ApiType),
            ("api", true) => query.OrderByDescending(x => x.Token.ApiType),
            ("role", false) => query.OrderBy(x => x.Token.DelegatedRole),
            ("role", true) => query.OrderByDescending(x => x.Token.DelegatedRole),
            ("expires", false) => query.OrderBy(x => x.Token.ExpiresAt),
            ("expires", true) => query.OrderByDescending(x => x.Token.ExpiresAt),
            ("lastused", false) => query.OrderBy(x => x.Token.LastUsedAt),
            ("lastused", true) => query.OrderByDescending(x => x.Token.LastUsedAt),
            (_, false) => query.OrderBy(x => x.Token.CreatedAt),
            (_, true) => query.OrderByDescending(x => x.Token.CreatedAt),
        };
        // Ties (same API, same role) read alphabetically, then stably.
        var rows = await sorted.ThenBy(x => x.Token.Name).ThenBy(x => x.Token.Id)
            .Skip((page - 1) * TokenListState.PageSize)
            .Take(TokenListState.PageSize)
            .Select(x => new TokenRow(x.Token, x.Email))
            .ToListAsync(cancellationToken);
        return new TokenPage(rows, total, page, anyAtAll);
    }

    /// <summary>One token with its owner's email; limited to <paramref name="ownerId"/>'s when given.</summary>
    public async Task<TokenRow?> FindAsync(Guid tokenId, string? ownerId, CancellationToken cancellationToken = default)
    {
        var found = await (from token in db.AccessTokens.AsNoTracking()
                           join user in db.Users on token.OwnerId equals user.Id
                           where token.Id == tokenId && (ownerId == null || token.OwnerId == ownerId)
                           select new { Token = token, user.Email }).SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : new TokenRow(found.Token, ownerId is null ? found.Email : null);
    }

    /// <summary>How many of the owner's tokens are not revoked (what "Delete all my tokens" revokes).</summary>
    public Task<int> CountLiveAsync(string ownerId, CancellationToken cancellationToken = default) =>
        db.AccessTokens.CountAsync(t => t.OwnerId == ownerId && t.RevokedAt == null, cancellationToken);
}

using System.Globalization;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Audit;

/// <summary>Where a page of the audit log starts: the (OccurredAt, Id) of an entry, as a URL-safe string.</summary>
public sealed record AuditCursor(DateTime OccurredAt, long Id)
{
    public override string ToString() => $"{OccurredAt.Ticks.ToString(CultureInfo.InvariantCulture)}-{Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads a cursor from a query string; anything else is no cursor (the newest page).</summary>
    public static AuditCursor? Parse(string? value)
    {
        var dash = value?.IndexOf('-') ?? -1;
        return dash > 0
            && long.TryParse(value.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTime.MaxValue.Ticks
            && long.TryParse(value.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new AuditCursor(new DateTime(ticks, DateTimeKind.Utc), id)
            : null;
    }
}

public sealed record AuditRow(AuditEntry Entry, string? ActorEmail);

/// <param name="Rows">Newest first.</param>
/// <param name="Older">The cursor for the next older page, or null at the oldest entry.</param>
/// <param name="Newer">The cursor for the next newer page, or null on the newest page.</param>
public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, AuditCursor? Older, AuditCursor? Newer);

/// <summary>
/// Pages through the audit log, newest first, by keyset: a page starts after the last entry of the
/// previous one, so every page costs the same index range read however far back it is (OFFSET
/// would read and skip every newer entry first). Uses the (OccurredAt, Id) and (Action, OccurredAt, Id) indexes.
/// </summary>
public sealed class AuditLogReader(PanelDbContext db, OperationGuard guard)
{
    public const int DefaultPageSize = 50;

    /// <summary>
    /// <see cref="Operations.ReadAudit"/>: every entry of the view (all, or one action), newest first,
    /// read as it is written out: one query whose rows are streamed, never the whole log in memory.
    /// </summary>
    public async Task<Result<IAsyncEnumerable<AuditRow>>> ExportAsync(Actor actor, string? action, CancellationToken cancellationToken = default)
    {
        if (await guard.AuthorizeAsync(actor, Operations.ReadAudit, cancellationToken: cancellationToken) is { } refused)
        {
            return refused;
        }
        var entries = db.AuditEntries.AsNoTracking();
        if (action is not null)
        {
            entries = entries.Where(e => e.Action == action);
        }
        var rows =
            from e in entries
            join u in db.Users.AsNoTracking() on e.ActorId equals u.Id into actors
            from u in actors.DefaultIfEmpty()
            orderby e.OccurredAt descending, e.Id descending
            select new AuditRow(e, u == null ? null : u.Email);
        return Result<IAsyncEnumerable<AuditRow>>.Ok(rows.AsAsyncEnumerable());
    }

    /// <param name="action">Only entries with this action, or all.</param>
    /// <param name="olderThan">Entries strictly older than this cursor (the "Older" link).</param>
    /// <param name="newerThan">Entries strictly newer than this cursor (the "Newer" link); ignored when <paramref name="olderThan"/> is set.</param>
    /// <param name="pageSize">Entries per page.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<AuditPage> ReadAsync(string? action, AuditCursor? olderThan, AuditCursor? newerThan,
        int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (action is not null)
        {
            entries = entries.Where(e => e.Action == action);
        }

        List<AuditEntry> page;
        bool moreOlder, moreNewer;
        if (olderThan is null && newerThan is not null)
        {
            // Walk up from the cursor, then show newest first.
            var (at, id) = (newerThan.OccurredAt, newerThan.Id);
            page = await entries.Where(e => e.OccurredAt >= at && (e.OccurredAt > at || e.Id > id))
                .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
            moreNewer = page.Count > pageSize;
            page = page.Take(pageSize).Reverse().ToList();
            moreOlder = true;
        }
        else
        {
            var query = entries;
            if (olderThan is not null)
            {
                var (at, id) = (olderThan.OccurredAt, olderThan.Id);
                // "<= at" is the index range; the OR only trims the ties at its top.
                query = query.Where(e => e.OccurredAt <= at && (e.OccurredAt < at || e.Id < id));
            }
            page = await query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
                .Take(pageSize + 1).ToListAsync(cancellationToken);
            moreOlder = page.Count > pageSize;
            page = page.Take(pageSize).ToList();
            moreNewer = olderThan is not null;
        }

        // Actors' emails for this page only: one look-up by primary key.
        var actorIds = page.Select(e => e.ActorId).OfType<string>().Distinct().ToList();
        var emails = actorIds.Count == 0
            ? new Dictionary<string, string?>()
            : await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id))
                .ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        var rows = page.Select(e => new AuditRow(e, e.ActorId is not null && emails.TryGetValue(e.ActorId, out var email) ? email : null)).ToList();

        return new AuditPage(rows,
            moreOlder && page.Count > 0 ? new AuditCursor(page[^1].OccurredAt, page[^1].Id) : null,
            moreNewer && page.Count > 0 ? new AuditCursor(page[0].OccurredAt, page[0].Id) : null);
    }
}

using System.Security.Cryptography;
using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Sessions;

/// <summary>Who the OpenID Provider said signed in: its subject (<c>sub</c>) and its session (<c>sid</c>, when it sends one).</summary>
public sealed record ProviderSession(string? Subject, string? SessionId);

/// <summary>
/// The server-side record of sign-in sessions. Every check and change is a single query or a single
/// conditional update, so instances sharing the database agree and parallel requests cannot both
/// consume one session.
/// </summary>
public sealed class SessionRegistry(PanelDbContext db, TimeProvider time)
{
    /// <summary>How long the password step stays usable for entering a code.</summary>
    public static readonly TimeSpan PasswordStepLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Ended or abandoned rows older than this are deleted when a new session starts.</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    /// <summary>Records a new session and returns its id (to be put in the cookie).</summary>
    public async Task<string> StartAsync(string userId, SessionStage stage, string? address, string? signInMethod = null,
        CancellationToken cancellationToken = default) =>
        await StartAsync(userId, stage, address, signInMethod, provider: null, cancellationToken);

    /// <summary>
    /// Records a new session; <paramref name="provider"/> is the OpenID Provider's subject and session
    /// id when it came through single sign-on (the provider's logout ends it by either).
    /// </summary>
    public async Task<string> StartAsync(string userId, SessionStage stage, string? address, string? signInMethod,
        ProviderSession? provider, CancellationToken cancellationToken = default)
    {
        var now = Now;
        var session = new UserSession
        {
            Id = Base64Url(RandomNumberGenerator.GetBytes(32)),
            UserId = userId,
            Stage = stage,
            CreatedAt = now,
            Address = address is { Length: > 64 } ? address[..64] : address,
            SignInMethod = signInMethod is { Length: > 32 } ? signInMethod[..32] : signInMethod,
            ProviderSubject = Bounded(provider?.Subject),
            ProviderSessionId = Bounded(provider?.SessionId),
        };
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(session).State = EntityState.Detached;

        var cutoff = now - Retention;
        await db.UserSessions
            .Where(s => s.UserId == userId && (s.EndedAt != null || s.Stage == SessionStage.PasswordVerified) && s.CreatedAt < cutoff)
            .ExecuteDeleteAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>
    /// Whether the session exists for that user at that stage and has not ended (a password step
    /// also expires after <see cref="PasswordStepLifetime"/>).
    /// </summary>
    public async Task<bool> IsActiveAsync(string? sessionId, string? userId, SessionStage stage, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(sessionId) || string.IsNullOrEmpty(userId))
        {
            return false;
        }
        var session = await db.UserSessions.AsNoTracking()
            .Where(s => s.Id == sessionId)
            .Select(s => new { s.UserId, s.Stage, s.EndedAt, s.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        return session is not null
            && session.UserId == userId
            && session.Stage == stage
            && session.EndedAt is null
            && (stage != SessionStage.PasswordVerified || Now - session.CreatedAt < PasswordStepLifetime);
    }

    /// <summary>
    /// Ends the session if it is still active; true for exactly one caller. Used as a claim on a
    /// password step while its code is checked (single use) and for sign-out.
    /// </summary>
    public async Task<bool> EndAsync(string? sessionId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return false;
        }
        var now = Now;
        return await db.UserSessions
            .Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken) == 1;
    }

    /// <summary>Gives back a password step claimed by <see cref="EndAsync"/> when the code was wrong, so the user can try again.</summary>
    public async Task ReopenPasswordStepAsync(string sessionId, CancellationToken cancellationToken = default) =>
        await db.UserSessions
            .Where(s => s.Id == sessionId && s.Stage == SessionStage.PasswordVerified && s.EndedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, (DateTime?)null), cancellationToken);

    /// <summary>Ends every session of the user ("sign out everywhere"); returns how many were active.</summary>
    public async Task<int> EndAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = Now;
        return await db.UserSessions
            .Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
    }

    /// <summary>
    /// Ends the sessions an OpenID Provider's logout names: those of its session <paramref name="sessionId"/>
    /// (sid), or when it names none, every session of its user <paramref name="subject"/> (sub); with both,
    /// the sessions matching both. Returns the ended sessions' users and how many each.
    /// </summary>
    public async Task<IReadOnlyList<(string UserId, int Count)>> EndByProviderAsync(string? sessionId, string? subject,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(sessionId) && string.IsNullOrEmpty(subject))
        {
            return [];
        }
        var query = db.UserSessions.Where(s => s.EndedAt == null);
        if (!string.IsNullOrEmpty(sessionId))
        {
            query = query.Where(s => s.ProviderSessionId == sessionId);
        }
        if (!string.IsNullOrEmpty(subject))
        {
            query = query.Where(s => s.ProviderSubject == subject);
        }
        var users = await query.GroupBy(s => s.UserId).Select(g => new { UserId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        if (users.Count == 0)
        {
            return [];
        }
        var now = Now;
        await query.ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
        return users.Select(u => (u.UserId, u.Count)).ToList();
    }

    /// <summary>The user's active signed-in sessions, newest first.</summary>
    public async Task<IReadOnlyList<UserSession>> ListActiveAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.UserSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedAt == null && s.Stage == SessionStage.SignedIn)
            .OrderByDescending(s => s.CreatedAt)
            .ToListAsync(cancellationToken);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static string? Bounded(string? value) =>
        string.IsNullOrEmpty(value) ? null : value.Length > UserSession.ProviderValueMaxLength ? value[..UserSession.ProviderValueMaxLength] : value;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

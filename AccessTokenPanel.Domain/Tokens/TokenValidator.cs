using System.Collections.Concurrent;
using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// Decides whether a presented secret may call an API, and says why not. Every call reads the
/// token's row (one indexed lookup by hash, joined to its owner), so a revocation or a disabled
/// owner counts on the very next call on every instance; only what cannot change (the format and
/// checksum of the secret) is decided without the database.
/// </summary>
public sealed class TokenValidator(PanelDbContext db, TimeProvider time)
{
    // Compiled once per provider context type (a compiled query binds to the first provider it runs
    // on): a call skips LINQ translation and the query cache look-up entirely.
    private static readonly ConcurrentDictionary<Type, Func<PanelDbContext, byte[], CancellationToken, Task<TokenWithOwner?>>> FindByHash = new();

    private static Func<PanelDbContext, byte[], CancellationToken, Task<TokenWithOwner?>> CompileFindByHash(Type _) =>
        EF.CompileAsyncQuery((PanelDbContext context, byte[] hash, CancellationToken _) =>
            context.AccessTokens.AsNoTracking()
                .Where(t => t.SecretHash == hash)
                .Join(context.Users, t => t.OwnerId, u => u.Id, (t, u) => new TokenWithOwner(t, u.IsDisabled))
                .SingleOrDefault());

    public async Task<TokenValidationResult> ValidateAsync(string? presented, ApiType api, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return TokenValidationResult.MissingToken;
        }
        // Format, checksum and API prefix first: garbage never reaches the database.
        switch (TokenSecret.Check(presented, out var presentedApi))
        {
            case TokenFormatCheck.Malformed:
                return TokenValidationResult.MalformedToken;
            case TokenFormatCheck.ChecksumMismatch:
                return TokenValidationResult.ChecksumMismatchToken;
        }
        if (presentedApi != api)
        {
            return TokenValidationResult.WrongApiToken;
        }

        var found = await FindByHash.GetOrAdd(db.GetType(), CompileFindByHash)(db, TokenSecret.Hash(presented), cancellationToken);
        if (found is null)
        {
            return TokenValidationResult.UnknownToken;
        }
        var token = found.Token;
        return token.StatusAt(time.GetUtcNow().UtcDateTime) switch
        {
            TokenStatus.Revoked => new(TokenValidationStatus.Revoked, token),
            TokenStatus.Expired => new(TokenValidationStatus.Expired, token),
            _ when found.OwnerDisabled => new(TokenValidationStatus.OwnerDisabled, token),
            _ => new(TokenValidationStatus.Valid, token),
        };
    }

    private sealed record TokenWithOwner(AccessToken Token, bool OwnerDisabled);
}

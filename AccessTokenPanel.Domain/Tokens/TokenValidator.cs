using System.Collections.Concurrent;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Settings;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// Decides whether a presented secret may call an API, and says why not. Every call reads the
/// token's row (one indexed lookup by hash, joined to its owner), so a revocation or a disabled
/// owner counts on the very next call on every instance; only what cannot change (the format and
/// checksum of the secret) is decided without the database. The policy's "long-lived tokens may
/// call this API directly" switches come in the same query, so a changed policy also counts at once.
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
                .Join(context.Users, t => t.OwnerId, u => u.Id, (t, u) => new TokenWithOwner(
                    t,
                    u.IsDisabled,
                    // No settings row yet means the defaults: every API may be called directly.
                    context.Settings.Where(s => s.Id == PanelSettings.SingletonId).Select(s => (bool?)s.ConfigurationApiDirectCalls).FirstOrDefault() ?? true,
                    context.Settings.Where(s => s.Id == PanelSettings.SingletonId).Select(s => (bool?)s.ScimApiDirectCalls).FirstOrDefault() ?? true,
                    context.Settings.Where(s => s.Id == PanelSettings.SingletonId).Select(s => (bool?)s.RestApiDirectCalls).FirstOrDefault() ?? true))
                .SingleOrDefault());

    /// <summary>
    /// <paramref name="directCall"/>: the token is calling the API itself (the default), so the
    /// policy "long-lived tokens may call this API directly" applies; false at the token endpoint.
    /// </summary>
    public async Task<TokenValidationResult> ValidateAsync(string? presented, ApiType api, CancellationToken cancellationToken = default, bool directCall = true)
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
            _ when directCall && token.Kind == TokenKind.Standard && !found.AllowsDirectCalls(api) => new(TokenValidationStatus.ExchangeRequired, token),
            _ => new(TokenValidationStatus.Valid, token),
        };
    }

    private sealed record TokenWithOwner(AccessToken Token, bool OwnerDisabled, bool ConfigurationDirect, bool ScimDirect, bool RestDirect)
    {
        public bool AllowsDirectCalls(ApiType api) => api switch
        {
            ApiType.Configuration => ConfigurationDirect,
            ApiType.Scim => ScimDirect,
            _ => RestDirect,
        };
    }
}

using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Authentication;

namespace AccessTokenPanel.Web.Api.Rest;

/// <summary>A token as the REST API shows it: never the secret, never its hash.</summary>
public sealed record TokenResponse(
    Guid Id,
    string Name,
    string Api,
    string? DelegatedRole,
    string Hint,
    string Status,
    DateTime CreatedAt,
    DateTime ExpiresAt,
    DateTime? RevokedAt,
    DateTime? LastUsedAt,
    string? LastUsedFrom,
    Guid? ParentTokenId,
    string Kind)
{
    public static TokenResponse From(AccessToken token, DateTime utcNow, TokenUsageRecorder usage)
    {
        // A use not flushed to the database yet is newer than what the row says.
        var lastUsedAt = token.LastUsedAt;
        var lastUsedFrom = token.LastUsedFrom;
        if (usage.Pending(token.Id) is { } pending && (lastUsedAt is null || pending.At > lastUsedAt))
        {
            lastUsedAt = pending.At;
            lastUsedFrom = pending.From;
        }
        return new(token.Id, token.Name, token.ApiType.ToWire(), token.DelegatedRole, token.Hint,
            token.StatusAt(utcNow).ToString().ToLowerInvariant(), token.CreatedAt, token.ExpiresAt, token.RevokedAt,
            lastUsedAt, lastUsedFrom, token.ParentTokenId, token.Kind == TokenKind.Access ? "access" : "standard");
    }
}

/// <summary>The one response that carries a secret: shown once, sent with Cache-Control: no-store.</summary>
public sealed record IssuedTokenResponse(TokenResponse Token, string Secret);

/// <summary>Programmatic issuance: <c>days</c> or <c>expirationDate</c> (yyyy-MM-dd, UTC).</summary>
public sealed record IssueTokenBody(string? Name, string? Api, string? DelegatedRole, int? Days, DateOnly? ExpirationDate);

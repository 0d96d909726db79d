using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Authentication;

namespace AccessTokenPanel.Web.Api.Rest;

/// <summary>
/// A token as the REST API shows it: never the secret, never its hash. A rotated token keeps
/// <c>status</c> "active" through its overlap, with <c>rotatedAt</c> and <c>replacedByTokenId</c> set
/// and <c>expiresAt</c> the end of the overlap.
/// </summary>
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
    string Kind,
    IReadOnlyList<string> AllowedAddresses,
    DateTime? RotatedAt,
    Guid? ReplacedByTokenId)
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
            lastUsedAt, lastUsedFrom, token.ParentTokenId, token.Kind == TokenKind.Access ? "access" : "standard",
            AddressAllowlist.Entries(token.AllowedAddresses), token.RotatedAt, token.ReplacedByTokenId);
    }
}

/// <summary>The one response that carries a secret: shown once, sent with Cache-Control: no-store.</summary>
public sealed record IssuedTokenResponse(TokenResponse Token, string Secret);

/// <summary>
/// Programmatic issuance: <c>days</c> or <c>expirationDate</c> (yyyy-MM-dd, UTC); optional
/// <c>allowedAddresses</c> (IPv4/IPv6 addresses and CIDR networks).
/// </summary>
public sealed record IssueTokenBody(string? Name, string? Api, string? DelegatedRole, int? Days, DateOnly? ExpirationDate,
    IReadOnlyList<string?>? AllowedAddresses = null);

/// <summary>Rotation: how many minutes the old secret keeps working (0 to 10080).</summary>
public sealed record RotateTokenBody(int? OverlapMinutes);

/// <summary>Replaces a token's allowed client addresses; an empty list allows every address.</summary>
public sealed record AllowedAddressesBody(IReadOnlyList<string?>? AllowedAddresses);

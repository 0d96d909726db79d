namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// What the owner asks for. Step-up (a current TOTP code) is checked by the caller before issuing.
/// <see cref="ActorId"/> is who asked, for the audit entry (the owner unless stated).
/// </summary>
public sealed record IssueTokenRequest(
    string OwnerId,
    string? Name,
    ApiType ApiType,
    string? DelegatedRole,
    TokenExpiry? Expiry,
    Guid? ParentTokenId = null,
    string? ActorId = null,
    TokenKind Kind = TokenKind.Standard);

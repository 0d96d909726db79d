namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// What the owner asks for. Step-up (a current TOTP code) is checked by the caller before issuing.
/// <see cref="ActorId"/> is who asked, for the audit entry (the owner unless stated).
/// <see cref="AllowedAddresses"/>: IP addresses and CIDR networks the token may be used from (none: anywhere).
/// </summary>
public sealed record IssueTokenRequest(
    string OwnerId,
    string? Name,
    ApiType ApiType,
    string? DelegatedRole,
    TokenExpiry? Expiry,
    Guid? ParentTokenId = null,
    string? ActorId = null,
    TokenKind Kind = TokenKind.Standard,
    IReadOnlyList<string>? AllowedAddresses = null);

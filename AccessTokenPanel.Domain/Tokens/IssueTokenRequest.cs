namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// What the owner asks for. Through <c>TokenIssuer.IssueAsync(Actor, ...)</c> the owner is the actor,
/// who proves it with a step-up code. <see cref="ActorId"/> is who asked, for the audit entry (the owner
/// unless stated), <see cref="ActorVia"/> where they came in.
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
    IReadOnlyList<string>? AllowedAddresses = null,
    string? ActorVia = null);

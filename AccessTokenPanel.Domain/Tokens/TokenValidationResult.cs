using System.Net;
using AccessTokenPanel.Domain.Permissions;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>Why a presented secret was accepted or refused (for logs and RFC 6750 errors).</summary>
public enum TokenValidationStatus
{
    Valid,
    Missing,
    Malformed,
    ChecksumMismatch,
    WrongApi,
    Unknown,
    Expired,
    Revoked,
    OwnerDisabled,

    /// <summary>
    /// The token it was derived from was revoked (any derived token), or no longer works at all
    /// (an exchanged access token: its parent revoked, expired or rotated past its overlap).
    /// </summary>
    ParentNotLive,

    /// <summary>A long-lived token called an API whose policy only accepts exchanged access tokens.</summary>
    ExchangeRequired,

    /// <summary>The token has allowed client addresses, and the call came from none of them.</summary>
    AddressNotAllowed,
}

/// <summary>
/// The verdict on a presented secret, with the token row when one was found; for
/// <see cref="TokenValidationStatus.AddressNotAllowed"/> also the refused client address (null when unknown).
/// </summary>
public sealed record TokenValidationResult(TokenValidationStatus Status, AccessToken? Token = null, IPAddress? ClientAddress = null)
{
    public bool IsValid => Status == TokenValidationStatus.Valid;

    /// <summary>
    /// For a valid token, its owner's current permissions, read in the same statement as the token
    /// (what the token may do follows from them and, for a Configuration token, its delegated role).
    /// </summary>
    public IReadOnlySet<string> OwnerPermissions { get; init; } = EmptyPermissions;

    /// <summary>
    /// What a valid Configuration token may do: its delegated role within its owner's current
    /// permissions (an owner who lost a permission takes it away from their tokens too).
    /// </summary>
    public IReadOnlySet<string> DelegatedPermissions() =>
        PanelRoles.Find(Token?.DelegatedRole) is { } role
            ? role.Permissions.Where(OwnerPermissions.Contains).ToHashSet(StringComparer.Ordinal)
            : EmptyPermissions;

    private static readonly IReadOnlySet<string> EmptyPermissions = new HashSet<string>();

    // The refusals that carry no token are the same every time: shared, not allocated per call.
    internal static readonly TokenValidationResult MissingToken = new(TokenValidationStatus.Missing);
    internal static readonly TokenValidationResult MalformedToken = new(TokenValidationStatus.Malformed);
    internal static readonly TokenValidationResult ChecksumMismatchToken = new(TokenValidationStatus.ChecksumMismatch);
    internal static readonly TokenValidationResult WrongApiToken = new(TokenValidationStatus.WrongApi);
    internal static readonly TokenValidationResult UnknownToken = new(TokenValidationStatus.Unknown);

    public string Description => Status switch
    {
        TokenValidationStatus.Valid => "The token is valid.",
        TokenValidationStatus.Missing => "No token was presented.",
        TokenValidationStatus.Malformed => "The token is malformed.",
        TokenValidationStatus.ChecksumMismatch => "The token's checksum does not match; it was mistyped or altered.",
        TokenValidationStatus.WrongApi => "The token was issued for another API.",
        TokenValidationStatus.Unknown => "The token is not known.",
        TokenValidationStatus.Expired when Token?.RotatedAt is not null => "The token was rotated and its overlap has ended: use the new secret.",
        TokenValidationStatus.Expired => "The token has expired.",
        TokenValidationStatus.Revoked => "The token was revoked.",
        TokenValidationStatus.OwnerDisabled => "The token's owner is disabled.",
        TokenValidationStatus.ParentNotLive => "The token it was derived from was revoked, rotated or has expired.",
        TokenValidationStatus.ExchangeRequired => "This API does not accept long-lived tokens directly: exchange the token for an access token at POST /api/v1/oauth/token (grant_type=refresh_token) and call with that.",
        TokenValidationStatus.AddressNotAllowed => ClientAddress is null
            ? "The token may only be used from its allowed client addresses, and this call's address is unknown."
            : $"The token may not be used from {ClientAddress}: the address is not in the token's allowed client addresses.",
        _ => Status.ToString(),
    };
}

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

    /// <summary>A long-lived token called an API whose policy only accepts exchanged access tokens.</summary>
    ExchangeRequired,
}

public sealed record TokenValidationResult(TokenValidationStatus Status, AccessToken? Token = null)
{
    public bool IsValid => Status == TokenValidationStatus.Valid;

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
        TokenValidationStatus.Expired => "The token has expired.",
        TokenValidationStatus.Revoked => "The token was revoked.",
        TokenValidationStatus.OwnerDisabled => "The token's owner is disabled.",
        TokenValidationStatus.ExchangeRequired => "This API does not accept long-lived tokens directly: exchange the token for an access token at POST /api/v1/oauth/token (grant_type=refresh_token) and call with that.",
        _ => Status.ToString(),
    };
}

using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Usage;

/// <summary>The refusals counted per token (those where the presented secret named a known token), with their names.</summary>
public static class TokenRefusalReasons
{
    /// <summary>Refusals that name a token; the others (malformed, unknown, wrong API) have none to count against.</summary>
    public static bool IsCounted(TokenValidationStatus status) => status is
        TokenValidationStatus.Expired or TokenValidationStatus.Revoked or TokenValidationStatus.OwnerDisabled or TokenValidationStatus.ParentNotLive
        or TokenValidationStatus.ExchangeRequired or TokenValidationStatus.AddressNotAllowed;

    /// <summary>The API's name for a reason, e.g. <c>address-not-allowed</c>.</summary>
    public static string WireName(TokenValidationStatus status) => status switch
    {
        TokenValidationStatus.Expired => "expired",
        TokenValidationStatus.Revoked => "revoked",
        TokenValidationStatus.OwnerDisabled => "owner-disabled",
        TokenValidationStatus.ParentNotLive => "parent-not-live",
        TokenValidationStatus.ExchangeRequired => "exchange-required",
        TokenValidationStatus.AddressNotAllowed => "address-not-allowed",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The screen's words for a reason.</summary>
    public static string Describe(TokenValidationStatus status) => status switch
    {
        TokenValidationStatus.Expired => "Expired (or rotated and past its overlap)",
        TokenValidationStatus.Revoked => "Revoked",
        TokenValidationStatus.OwnerDisabled => "Owner disabled",
        TokenValidationStatus.ParentNotLive => "The token it came from no longer works",
        TokenValidationStatus.ExchangeRequired => "API takes only exchanged access tokens",
        TokenValidationStatus.AddressNotAllowed => "Client address not allowed",
        _ => status.ToString(),
    };
}

using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Web.Authentication;

/// <summary>
/// The token row the bearer handler read for this request (after the checks passed), so an endpoint
/// that describes the calling token answers from it instead of reading the same row again.
/// </summary>
public sealed class AuthenticatedTokenFeature(AccessToken token)
{
    public AccessToken Token { get; } = token;
}

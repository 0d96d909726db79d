using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Web.Hosting;

namespace AccessTokenPanel.Web.Notices;

internal static class NoticeLinks
{
    /// <summary>The token's page in the panel, when the operator set the public address (a background job has no request to take it from).</summary>
    public static string? TokenPage(PublicOriginOptions origin, TokenNotice notice) =>
        origin.PublicBaseUri is { } baseUri ? new Uri(baseUri, $"tokens/{notice.TokenId}").ToString() : null;
}

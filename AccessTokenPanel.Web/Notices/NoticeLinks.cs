using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Web.Hosting;

namespace AccessTokenPanel.Web.Notices;

public static class NoticeLinks
{
    /// <summary>The token's page in the panel, when the operator set the public address (a background job has no request to take it from).</summary>
    public static string? TokenPage(PublicOriginOptions origin, TokenNotice notice) =>
        origin.PublicBaseUri is { } baseUri ? new Uri(baseUri, Path(notice)).ToString() : null;

    /// <summary>Where a notice leads in the panel (relative): its token, or the page of what it is about.</summary>
    public static string Path(TokenNotice notice) => notice switch
    {
        { TokenId: { } id } => $"tokens/{id}",
        { Kind: NoticeKind.AccountOwnerless } => "service-accounts",
        { Kind: NoticeKind.RequestWaiting } => "approvals",
        _ => "tokens",
    };
}

using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Notices;

/// <summary>The words of a notice, one source for the panel's list, the email and the webhook.</summary>
public static class NoticeText
{
    public static string Title(TokenNotice notice) => notice.Kind switch
    {
        NoticeKind.ExpiresSoon => $"Access token '{notice.TokenName}' expires in {Days(notice.ThresholdDays ?? 0)}",
        NoticeKind.Expired => $"Access token '{notice.TokenName}' has expired",
        NoticeKind.Leaked => $"Access token '{notice.TokenName}' was found in public and has been revoked",
        NoticeKind.StepUpLocked => $"Wrong authentication codes were sent with access token '{notice.TokenName}'",
        NoticeKind.Created => $"Access token '{notice.TokenName}' was created for you",
        NoticeKind.NewAddress => $"Access token '{notice.TokenName}' was used from a new address",
        NoticeKind.IdleSoon => $"Access token '{notice.TokenName}' will be revoked: unused",
        NoticeKind.IdleRevoked => $"Access token '{notice.TokenName}' was revoked: unused",
        NoticeKind.RequestDecided => $"Your request for access token '{notice.TokenName}' was {notice.Details?.Split(':')[0] ?? "decided"}",
        NoticeKind.AccountOwnerless => $"Service account '{notice.TokenName}' has no active owner",
        NoticeKind.RequestWaiting => $"Token request '{notice.TokenName}' waits for approval",
        _ => $"Access token '{notice.TokenName}'",
    };

    public static string Body(TokenNotice notice)
    {
        var what = $"{notice.ApiType.DisplayName()} token '{notice.TokenName}' ({notice.TokenHint})";
        var expires = notice.TokenExpiresAt.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        return notice.Kind switch
        {
            NoticeKind.ExpiresSoon =>
                $"Your {what} expires on {expires}. Calls made with it will be refused from then on. "
                + "Rotate it (the old secret can keep working for an overlap) or generate a new one before that day.",
            NoticeKind.Expired =>
                $"Your {what} expired on {expires} and is no longer accepted. If something still uses it, generate a new token.",
            NoticeKind.Leaked =>
                $"Your {what} was reported by a secret scanner as published"
                + (string.IsNullOrEmpty(notice.Details) ? "" : $" at {notice.Details}")
                + ". It was revoked at once and no longer works. Generate a new token, and remove the secret from where it was published.",
            NoticeKind.StepUpLocked =>
                $"Too many wrong authentication codes were sent with your {what}, so codes sent with it are refused for a while"
                + (string.IsNullOrEmpty(notice.Details) ? "." : $": {notice.Details}")
                + " Your own sign-in is not affected. If you did not send them, someone else holds the token's secret: delete the token.",
            NoticeKind.Created =>
                $"A {what} was created for you {notice.Details}. If you did not expect it, delete it.",
            NoticeKind.NewAddress =>
                $"Your {what} was used from {notice.Details}, an address it had not used in the last 30 days. If that was not you or your integration, delete the token.",
            NoticeKind.IdleSoon =>
                $"Your {what} has not been used for a long time and will be revoked on {notice.Details} unless it is used before then (the token policy revokes unused tokens).",
            NoticeKind.IdleRevoked =>
                $"Your {what} was revoked because it was not used for {notice.Details} days (the token policy revokes unused tokens). Generate a new one if you still need it.",
            NoticeKind.RequestDecided =>
                $"Your request for {notice.ApiType.DisplayName()} token '{notice.TokenName}' was {notice.Details}."
                + " An approved request's secret is taken once, with a fresh authentication code, on the Access tokens page within 7 days.",
            NoticeKind.RequestWaiting =>
                $"A {notice.Details}, '{notice.TokenName}', waits for someone else's approval. Decide on the Approvals page (you cannot decide your own).",
            NoticeKind.AccountOwnerless =>
                $"Service account '{notice.TokenName}' has no active owner left{notice.Details}. Its tokens keep working until an administrator adds an owner, disables it or deletes it.",
            _ => what,
        };
    }

    /// <summary>The webhook's event name.</summary>
    public static string EventName(NoticeKind kind) => kind switch
    {
        NoticeKind.ExpiresSoon => "token.expiring",
        NoticeKind.Expired => "token.expired",
        NoticeKind.Leaked => "token.leaked",
        NoticeKind.StepUpLocked => "token.step-up-locked",
        NoticeKind.Created => "token.created",
        NoticeKind.NewAddress => "token.new-address",
        NoticeKind.IdleSoon => "token.idle-soon",
        NoticeKind.IdleRevoked => "token.idle-revoked",
        NoticeKind.RequestDecided => "token-request.decided",
        NoticeKind.RequestWaiting => "token-request.waiting",
        NoticeKind.AccountOwnerless => "service-account.ownerless",
        _ => "token.notice",
    };

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}

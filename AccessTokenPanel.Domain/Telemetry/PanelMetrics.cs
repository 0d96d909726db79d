using System.Diagnostics.Metrics;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Telemetry;

/// <summary>
/// The panel's own measurements, on the <c>AccessTokenPanel</c> meter: what the Domain did, counted
/// where it does it. The host decides whether and where they are exported (OpenTelemetry); without
/// a listener each call costs a flag check. Tags are low-cardinality words: never a secret, a code,
/// a user or a token id.
/// </summary>
public static class PanelMetrics
{
    public const string MeterName = "AccessTokenPanel";

    // One meter for the process, as the .NET guidance for libraries: listeners find it by name.
    private static readonly Meter Meter = new(MeterName, typeof(PanelMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> TokenChecks = Meter.CreateCounter<long>("atp.token.checks", "{check}",
        "Presented API tokens checked, by API and result (accepted or the refusal reason).");
    private static readonly Counter<long> TokensIssued = Meter.CreateCounter<long>("atp.tokens.issued", "{token}",
        "Tokens issued, by API and kind (standard, or access from an exchange).");
    private static readonly Counter<long> TokensRevoked = Meter.CreateCounter<long>("atp.tokens.revoked", "{token}",
        "Tokens revoked (or retired by rotation), by cause.");
    private static readonly Counter<long> Exchanges = Meter.CreateCounter<long>("atp.token.exchanges", "{exchange}",
        "OAuth token exchanges, by outcome.");
    private static readonly Counter<long> ScimOperations = Meter.CreateCounter<long>("atp.scim.operations", "{operation}",
        "SCIM requests on users and groups, by resource, method and outcome.");
    private static readonly Counter<long> NoticeDeliveries = Meter.CreateCounter<long>("atp.notice.deliveries", "{delivery}",
        "Notice delivery attempts, by channel and outcome.");
    private static readonly Counter<long> SignIns = Meter.CreateCounter<long>("atp.sign_ins", "{sign-in}",
        "Sign-in attempts, by method and outcome.");
    private static readonly Counter<long> AuditStreamed = Meter.CreateCounter<long>("atp.audit.streamed", "{entry}",
        "Audit entries delivered to an audit sink, by sink.");
    private static readonly Counter<long> AuditStreamFailures = Meter.CreateCounter<long>("atp.audit.stream_failures", "{attempt}",
        "Failed attempts to deliver audit entries to a sink, by sink.");

    /// <summary>A bearer token check: <c>accepted</c>, or the refusal reason in kebab case (<c>expired</c>, <c>wrong-api</c> ...).</summary>
    public static void TokenChecked(ApiType api, TokenValidationStatus status) =>
        TokenChecks.Add(1, new("api", ApiName(api)), new("result", status == TokenValidationStatus.Valid ? "accepted" : Kebab(status.ToString())));

    public static void TokenIssued(ApiType api, TokenKind kind) =>
        TokensIssued.Add(1, new("api", ApiName(api)), new("kind", kind == TokenKind.Access ? "access" : "standard"));

    public static void TokenRevoked(RevocationCause cause, int count = 1)
    {
        if (count > 0)
        {
            TokensRevoked.Add(count, new KeyValuePair<string, object?>("cause", Kebab(cause.ToString())));
        }
    }

    /// <param name="outcome"><c>issued</c>, or why not (<c>invalid-grant</c> ...).</param>
    public static void TokenExchanged(string outcome) => Exchanges.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="resource"><c>Users</c> or <c>Groups</c>.</param>
    /// <param name="method">The HTTP method (GET, POST, PUT, PATCH, DELETE).</param>
    /// <param name="statusCode">The answer's status; counted as <c>ok</c>, <c>client-error</c> or <c>server-error</c>.</param>
    public static void ScimOperation(string resource, string method, int statusCode) =>
        ScimOperations.Add(1, new("resource", resource), new("method", method),
            new("outcome", statusCode < 400 ? "ok" : statusCode < 500 ? "client-error" : "server-error"));

    public static void NoticeDelivery(string channel, bool delivered) =>
        NoticeDeliveries.Add(1, new("channel", channel), new("outcome", delivered ? "delivered" : "failed"));

    /// <param name="method">A completed sign-in: <see cref="Sessions.SignInMethods"/>; a failed one: <see cref="SignInFailureSteps"/>.</param>
    /// <param name="outcome"><c>success</c>, <c>failure</c> or <c>locked-out</c>.</param>
    public static void SignIn(string method, string outcome) => SignIns.Add(1, new("method", method), new("outcome", outcome));

    public static void AuditEntriesStreamed(string sink, int count) => AuditStreamed.Add(count, new KeyValuePair<string, object?>("sink", sink));

    public static void AuditStreamFailed(string sink) => AuditStreamFailures.Add(1, new KeyValuePair<string, object?>("sink", sink));

    private static string ApiName(ApiType api) => api switch
    {
        ApiType.Configuration => "configuration",
        ApiType.Scim => "scim",
        ApiType.Rest => "rest",
        _ => "other",
    };

    // OwnerDisabled -> owner-disabled, the words the usage API already uses for refusal reasons.
    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>Why tokens stopped working, for <see cref="PanelMetrics.TokenRevoked"/>.</summary>
public enum RevocationCause
{
    /// <summary>The owner revoked their own token.</summary>
    User,
    /// <summary>Someone else revoked it (an administrator), or its owner was deleted.</summary>
    Admin,
    /// <summary>A secret scanner reported it leaked.</summary>
    Leak,
    /// <summary>It was rotated: it works only for the overlap.</summary>
    Rotation,
    /// <summary>Unused for longer than its policy allows.</summary>
    Idle,
}

/// <summary>
/// The <c>method</c> tag of failed sign-in measurements: the step that failed. A completed sign-in
/// is tagged with the method its session records (<see cref="Sessions.SignInMethods"/>).
/// </summary>
public static class SignInFailureSteps
{
    /// <summary>The screens: password, then authenticator code.</summary>
    public const string Password = "password";
    public const string AuthenticatorCode = "authenticator-code";
    public const string RecoveryCode = "recovery-code";
    /// <summary>HTTP Basic credentials on the REST API (<c>/api/v1/user-token</c>).</summary>
    public const string ApiPassword = "api-password";

    /// <summary>The method a failed step names (SignInAudit's <c>step</c> words).</summary>
    public static string OfStep(string step) =>
        step.StartsWith("API", StringComparison.OrdinalIgnoreCase) ? ApiPassword
        : step.Contains("recovery", StringComparison.OrdinalIgnoreCase) ? RecoveryCode
        : step.Contains("code", StringComparison.OrdinalIgnoreCase) ? AuthenticatorCode
        : Password;
}

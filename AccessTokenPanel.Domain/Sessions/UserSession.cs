namespace AccessTokenPanel.Domain.Sessions;

/// <summary>How far a sign-in has come when its session is recorded.</summary>
public enum SessionStage
{
    /// <summary>The password was right and a second-factor code is awaited (the short-lived two-factor cookie).</summary>
    PasswordVerified = 1,

    /// <summary>Fully signed in (the application cookie).</summary>
    SignedIn = 2,
}

/// <summary>
/// One browser sign-in, recorded in the database so that ending it works on every instance: the
/// cookie carries only the <see cref="Id"/>, and a cookie whose session has ended is refused.
/// </summary>
public class UserSession
{
    /// <summary>256 random bits, base64url. Only inside the encrypted cookie and this row.</summary>
    public required string Id { get; set; }

    public required string UserId { get; set; }

    public SessionStage Stage { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When sign-out, "sign out everywhere" or completing the code step ended it; null while it lasts.</summary>
    public DateTime? EndedAt { get; set; }

    /// <summary>The client address that started it (for the user's and the auditor's information).</summary>
    public string? Address { get; set; }

    /// <summary>How the user proved who they are (<see cref="SignInMethods"/>); null for sessions recorded before it was kept.</summary>
    public string? SignInMethod { get; set; }

    /// <summary>Single sign-on: the provider's subject (<c>sub</c>) this session came from; back-channel logout by <c>sub</c> ends it.</summary>
    public string? ProviderSubject { get; set; }

    /// <summary>Single sign-on: the provider's session id (<c>sid</c> of the ID token); logout by <c>sid</c> ends it.</summary>
    public string? ProviderSessionId { get; set; }

    public const int ProviderValueMaxLength = 255;
}

/// <summary>The sign-in methods a session records, shown on "Your sessions" and in the audit log.</summary>
public static class SignInMethods
{
    public const string PasswordAndCode = "password+totp";
    public const string PasswordAndRecoveryCode = "password+recovery-code";
    public const string Passkey = "passkey";
    public const string SsoAndCode = "sso+totp";
    public const string SsoAndRecoveryCode = "sso+recovery-code";
    public const string SsoWithProviderMfa = "sso+provider-mfa";

    /// <summary>Single sign-on of a user who has no authenticator yet (they enroll next).</summary>
    public const string Sso = "sso";

    public static string Describe(string? method) => method switch
    {
        PasswordAndCode => "password and authentication code",
        PasswordAndRecoveryCode => "password and recovery code",
        Passkey => "a passkey",
        SsoAndCode => "single sign-on and authentication code",
        SsoAndRecoveryCode => "single sign-on and recovery code",
        SsoWithProviderMfa => "single sign-on (the provider's second factor)",
        Sso => "single sign-on",
        null or "" => "an unrecorded method",
        _ => method,
    };
}

namespace AccessTokenPanel.Web.Components.Account;

public static class AccountPaths
{
    public const string Login = "/account/login";
    public const string LoginWithAuthenticator = "/account/login/two-factor";
    public const string LoginWithRecoveryCode = "/account/login/recovery";
    public const string Logout = "/account/logout";
    public const string LogoutEverywhere = "/account/logout-everywhere";
    public const string Sessions = "/account/sessions";

    /// <summary>POST by an administrator: ends every session of user <c>{userId}</c>.</summary>
    public const string EndUserSessions = "/account/users/{userId}/logout-everywhere";
    public const string AccessDenied = "/account/access-denied";
    public const string EnrollAuthenticator = "/account/two-factor";
    public const string Setup = "/account/setup";
    public const string Passkeys = "/account/passkeys";
    public const string LoginWithPasskey = "/account/login/passkey";

    /// <summary>POST (from the page's script): the options for the browser's "create a passkey" dialog.</summary>
    public const string PasskeyCreationOptions = "/account/passkeys/creation-options";

    /// <summary>POST (from the page's script): the options for the browser's "sign in with a passkey" dialog.</summary>
    public const string PasskeyRequestOptions = "/account/passkeys/request-options";

    /// <summary>POST (from an admin screen's script): the options for a step-up with one of the signed-in user's passkeys.</summary>
    public const string PasskeyStepUpOptions = "/account/passkeys/step-up-options";

    /// <summary>POST (JSON, from an admin screen's script): the browser's passkey answer, verified into a one-time step-up proof.</summary>
    public const string PasskeyStepUp = "/account/passkeys/step-up";

    /// <summary>The return URL when it stays on this site, otherwise the home page (no open redirect).</summary>
    public static string LocalOrHome(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.StartsWith("/account/logout", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";

    public static string WithReturnUrl(string path, string? returnUrl) =>
        string.IsNullOrEmpty(returnUrl) ? path : $"{path}?returnUrl={Uri.EscapeDataString(returnUrl)}";
}

namespace AccessTokenPanel.Domain.Audit;

public static class AuditActions
{
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
    public const string TokenRotated = "token.rotated";
    public const string TokenAllowedAddressesChanged = "token.allowed-addresses-changed";
    public const string TokenAddressRefused = "token.address-refused";
    public const string TokenLeakReported = "token.leak-reported";
    public const string SettingsChanged = "settings.changed";
    public const string ExternalValidatorCreated = "external-validator.created";
    public const string ExternalValidatorUpdated = "external-validator.updated";
    public const string ExternalValidatorDeleted = "external-validator.deleted";
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserDeleted = "user.deleted";
    public const string UserTwoFactorEnabled = "user.2fa-enabled";
    public const string UserTwoFactorReset = "user.2fa-reset";
    public const string SignedIn = "account.signed-in";
    public const string SignedOut = "account.signed-out";
    public const string SignInFailed = "account.sign-in-failed";
    public const string LockedOut = "account.locked-out";
    public const string SessionsEnded = "account.sessions-ended";
    public const string PasskeyAdded = "account.passkey-added";
    public const string PasskeyRenamed = "account.passkey-renamed";
    public const string PasskeyRemoved = "account.passkey-removed";
}

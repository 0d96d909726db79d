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
    public const string TokenPolicyChanged = "token-policy.changed";
    public const string TokenPolicyEnforced = "token-policy.enforced";
    public const string TokenShortened = "token.shortened";
    public const string TokenRequested = "token-request.created";
    public const string TokenRequestApproved = "token-request.approved";
    public const string TokenRequestDenied = "token-request.denied";
    public const string TokenRequestTaken = "token-request.taken";
    public const string ServiceAccountCreated = "service-account.created";
    public const string ServiceAccountUpdated = "service-account.updated";
    public const string ServiceAccountOwnerAdded = "service-account.owner-added";
    public const string ServiceAccountOwnerRemoved = "service-account.owner-removed";
    public const string ServiceAccountDisabled = "service-account.disabled";
    public const string ServiceAccountEnabled = "service-account.enabled";
    public const string ServiceAccountDeleted = "service-account.deleted";

    public const string PasskeyAdded = "account.passkey-added";
    public const string PasskeyRenamed = "account.passkey-renamed";
    public const string PasskeyRemoved = "account.passkey-removed";

    /// <summary>Every action, for filters that must name a known one.</summary>
    public static IReadOnlySet<string> All { get; } = typeof(AuditActions).GetFields()
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
}

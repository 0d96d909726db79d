namespace AccessTokenPanel.Domain.Audit;

public static class AuditActions
{
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
    public const string SettingsChanged = "settings.changed";
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserDeleted = "user.deleted";
    public const string UserTwoFactorEnabled = "user.2fa-enabled";
    public const string UserTwoFactorReset = "user.2fa-reset";
}

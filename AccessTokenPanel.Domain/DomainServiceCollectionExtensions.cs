using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.SecretsAtRest;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AccessTokenPanel.Domain;

public static class DomainServiceCollectionExtensions
{
    /// <summary>Registers the domain services. The host registers <c>PanelDbContext</c> with its provider.</summary>
    public static IServiceCollection AddPanelDomain(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<AuditLog>();
        services.AddScoped<AuditLogReader>();
        services.AddScoped<AuditStreamer>();
        services.AddScoped<AuditSinkStatus>();
        services.AddScoped<SettingsStore>();
        services.AddScoped<SettingsUpdater>();
        services.AddScoped<PermissionResolver>();
        services.AddScoped<TokenIssuer>();
        services.AddScoped<TokenValidator>();
        // The host may register a faster reader of the same query for its provider (the Web app does for SQLite).
        services.TryAddScoped<ITokenLookup, EfTokenLookup>();
        services.AddScoped<TokenRevoker>();
        services.AddScoped<TokenReader>();
        services.AddScoped<LeakReportHandler>();
        services.AddScoped<TokenRotator>();
        services.AddScoped<AllowedAddressesEditor>();
        services.AddSingleton<AddressRefusalAudit>();
        services.AddSingleton<Usage.TokenUsageCounts>();
        services.AddScoped<Usage.TokenUsageHistory>();
        services.AddScoped<AccessTokenExchange>();
        services.AddScoped<DerivedTokenSummaries>();
        services.AddScoped<ExternalTokens.ExternalTokenValidators>();
        services.AddScoped<TimeStepReplayGuard>();
        services.AddScoped<TotpAttemptGate>();
        services.AddScoped<TotpVerifier>();
        services.AddScoped<StepUpVerifier>();
        services.AddScoped<OperationGuard>();
        services.AddScoped<Users.UserAccounts>();
        services.AddScoped<SessionRegistry>();
        services.AddScoped<Passkeys.PasskeyAccounts>();
        services.AddScoped<Passkeys.PasskeyStepUps>();
        services.AddScoped<Users.SingleSignOnMatch>();
        services.AddScoped<SignInAudit>();
        services.AddScoped<DecoyPasswordCheck>();
        // Need Data Protection, which the host adds (the Web app through Identity's cookies).
        services.AddScoped<TwoFactorSecrets>();
        services.AddScoped<SecretsAtRestMigration>();
        services.AddScoped<NoticeBoard>();
        services.AddScoped<ExpiryNoticeScanner>();
        services.AddScoped<NoticeDispatcher>();
        services.AddScoped<NoticeInbox>();
        services.AddScoped<NoticeDeliveryLog>();
        services.AddScoped<Policies.TokenPolicies>();
        services.AddScoped<Policies.IdleTokenScanner>();
        services.AddScoped<Approvals.TokenRequests>();
        services.AddScoped<ServiceAccounts.ServiceAccounts>();
        return services;
    }
}

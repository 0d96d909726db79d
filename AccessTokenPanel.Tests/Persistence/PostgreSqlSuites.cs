using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Api.Configuration;
using AccessTokenPanel.Tests.Api.Rest;
using AccessTokenPanel.Tests.Api.Scim;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Tokens;
using AccessTokenPanel.Tests.Tokens.Screens;
using AccessTokenPanel.Web.Hosting;

// The integration suites that touch the database, once more on PostgreSQL: each class below
// inherits every case of its SQLite suite and runs it on a database of its own on the run's
// PostgreSQL server. Without a server the cases are reported as skipped (PostgreSqlCasesAttribute).
namespace AccessTokenPanel.Tests.Persistence;

/// <summary>The API app on a PostgreSQL database of its own.</summary>
public sealed class PostgreSqlApiAppFactory : ApiAppFactory
{
    public PostgreSqlApiAppFactory() => Provider = DatabaseProvider.PostgreSql;
}

[PostgreSqlCases]
public sealed class TokenGovernanceApiOnPostgreSqlTests() : ServiceAccounts.TokenGovernanceApiTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class IdleAndAddressNoticeOnPostgreSqlTests() : ServiceAccounts.IdleAndAddressNoticeTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class ProviderSessionOnPostgreSqlTests() : Sso.ProviderSessionTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class PasskeyStepUpOnPostgreSqlTests() : Passkeys.PasskeyStepUpTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class AuditStreamingOnPostgreSqlTests() : Audit.AuditStreamingTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class TokenPersistenceOnPostgreSqlTests() : TokenPersistenceTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class TokenValidatorOnPostgreSqlTests() : TokenValidatorTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class TokenIssuerOnPostgreSqlTests() : TokenIssuerTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class TokenRevokerOnPostgreSqlTests() : TokenRevokerTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class TokenListReaderOnPostgreSqlTests() : TokenListReaderTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class OperationMatrixOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : Permissions.OperationMatrixTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class BearerAuthenticationOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : BearerAuthenticationTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class AuthorizationMatrixOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : AuthorizationMatrixTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class RestApiOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : RestApiTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class UserTokenApiOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : UserTokenApiTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class ConfigurationApiOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : ConfigurationApiTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class ScimUsersOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : ScimUsersTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class ScimGroupsOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : ScimGroupsTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class ScimProvisioningFlowOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : ScimProvisioningFlowTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class ExpiryNoticeOnPostgreSqlTests() : Notices.ExpiryNoticeTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class NoticeDeliveryOnPostgreSqlTests() : Notices.NoticeDeliveryTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class AllowedAddressesOnPostgreSqlTests() : AllowedAddressesTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class TokenRotationApiOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : TokenRotationApiTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class TokenUsageHistoryOnPostgreSqlTests() : AccessTokenPanel.Tests.Usage.TokenUsageHistoryTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class ScimQueryOnPostgreSqlTests(PostgreSqlApiAppFactory app)
    : ScimQueryTests(app), IClassFixture<PostgreSqlApiAppFactory>;

[PostgreSqlCases]
public sealed class ExternalIdUniquenessOnPostgreSqlTests() : AccessTokenPanel.Tests.Users.ExternalIdUniquenessTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class OverPolicyCountOnPostgreSqlTests() : ServiceAccounts.OverPolicyCountTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class DailyTotalsMigrationOnPostgreSqlTests() : AccessTokenPanel.Tests.Usage.DailyTotalsMigrationTests(DatabaseProvider.PostgreSql);

[PostgreSqlCases]
public sealed class TokenLifetimeMigrationOnPostgreSqlTests() : TokenLifetimeMigrationTests(DatabaseProvider.PostgreSql);

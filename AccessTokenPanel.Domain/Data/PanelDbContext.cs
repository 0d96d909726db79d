using AccessTokenPanel.Domain.Approvals;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.ServiceAccounts;
using AccessTokenPanel.Domain.Passkeys;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Usage;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AccessTokenPanel.Domain.Data;

/// <summary>
/// The one EF Core model: Identity, tokens, audit and settings. It names no provider; the host
/// derives one context per provider so each keeps its own migrations. It also holds the Data
/// Protection key ring, so every instance on the same database reads the others' cookies.
/// </summary>
public class PanelDbContext(DbContextOptions options) : IdentityDbContext<PanelUser>(options), IDataProtectionKeyContext
{
    /// <summary>
    /// A column of <c>AccessTokens</c> the database computes on every write: the days from
    /// <c>CreatedAt</c> to <c>ExpiresAt</c>, as <see cref="PanelDbFunctions.DaysBetween"/> gives them
    /// (each provider's SQL in <c>PanelDbFunctionMappings</c>), so that "longer than the policy
    /// allows" is a comparison of a value the live-token index holds, not date arithmetic per row.
    /// Read in queries with <c>EF.Property&lt;double&gt;(token, LifetimeDays)</c>.
    /// </summary>
    public const string LifetimeDays = "LifetimeDays";

    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<PanelSettings> Settings => Set<PanelSettings>();
    public DbSet<ExternalTokenValidator> ExternalTokenValidators => Set<ExternalTokenValidator>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<TokenNotice> TokenNotices => Set<TokenNotice>();
    public DbSet<NoticeDelivery> NoticeDeliveries => Set<NoticeDelivery>();
    public DbSet<AuditSinkCursor> AuditSinkCursors => Set<AuditSinkCursor>();
    public DbSet<TokenDailyUsage> TokenDailyUsage => Set<TokenDailyUsage>();
    public DbSet<TokenDailyRefusals> TokenDailyRefusals => Set<TokenDailyRefusals>();
    public DbSet<TokenRecentAddress> TokenRecentAddresses => Set<TokenRecentAddress>();
    public DbSet<TokenDailyTotals> TokenDailyTotals => Set<TokenDailyTotals>();
    public DbSet<TokenDailyRefusalTotals> TokenDailyRefusalTotals => Set<TokenDailyRefusalTotals>();
    public DbSet<ServiceAccountOwner> ServiceAccountOwners => Set<ServiceAccountOwner>();
    public DbSet<TokenPolicy> TokenPolicies => Set<TokenPolicy>();
    public DbSet<TokenRequest> TokenRequests => Set<TokenRequest>();
    public DbSet<PasskeyLastUse> PasskeyLastUses => Set<PasskeyLastUse>();
    public DbSet<PasskeyStepUp> PasskeyStepUps => Set<PasskeyStepUp>();


    /// <summary>
    /// A context made without application services (the design-time contexts that generate the
    /// migrations, maintenance commands, tests) gets IdentityOptions with the schema version the
    /// migrations are made for (<see cref="IdentitySchema"/>); hosts with services set it themselves.
    /// Options are left alone otherwise (pooled contexts may not change them here).
    /// </summary>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        if (optionsBuilder.Options.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider is null)
        {
            optionsBuilder.UseApplicationServiceProvider(IdentitySchema.Services);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are stored as UTC DateTime (not DateTimeOffset) so that expiry comparisons and
        // sorting translate on SQLite as on SQL Server; reads come back marked as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<PanelUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.ExternalId).HasMaxLength(200);
            user.Property(u => u.GivenName).HasMaxLength(200);
            user.Property(u => u.FamilyName).HasMaxLength(200);
            user.Property(u => u.FormattedName).HasMaxLength(200);
            user.Property(u => u.Description).HasMaxLength(500);
            user.Property(u => u.PreferredLanguage).HasMaxLength(16);
            // External JWTs are mapped to users by externalId: one value names at most one user, also
            // when two requests set it at once. Filtered, as SQL Server would otherwise allow one NULL.
            user.HasIndex(u => u.ExternalId).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
            // Written only by conditional updates (TimeStepReplayGuard, TotpAttemptGate). Identity saves
            // the whole row from the copy a request loaded; a request that lost a race would otherwise
            // write the old values back and reopen a spent code or a charged attempt.
            user.Property(u => u.LastTotpTimeStep).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
            user.Property(u => u.TotpFailedAttempts).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
            user.Property(u => u.TotpLockedUntil).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        });

        builder.Entity<AccessToken>(token =>
        {
            token.ToTable("AccessTokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.OwnerId).HasMaxLength(450);
            token.Property(t => t.Name).HasMaxLength(TokenRules.MaxNameLength);
            // Written only by TotpAttemptGate's conditional updates, never from a loaded copy.
            token.Property(t => t.StepUpFailedAttempts).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
            token.Property(t => t.StepUpLockedUntil).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
            token.Property(t => t.ApiType).HasConversion<string>().HasMaxLength(20);
            token.Property(t => t.DelegatedRole).HasMaxLength(100);
            token.Property(t => t.SecretHash).HasMaxLength(32).IsFixedLength();
            token.Property(t => t.Hint).HasMaxLength(40);
            token.Property(t => t.LastUsedFrom).HasMaxLength(64);
            token.Property(t => t.RevokedById).HasMaxLength(450);
            token.Property(t => t.AllowedAddresses).HasMaxLength(TokenRules.AllowedAddressesColumnLength);
            token.HasIndex(t => t.SecretHash).IsUnique();
            token.HasIndex(t => new { t.OwnerId, t.Name });
            // "My tokens, newest first" (the REST list and the access tokens page) and the
            // inventory's default order read these in order instead of sorting every row.
            token.HasIndex(t => new { t.OwnerId, t.CreatedAt });
            token.HasIndex(t => new { t.CreatedAt, t.Id });
            // Only derived (exchanged) tokens have a parent: a partial index stays small, and its
            // statistics do not tell the planner that a parent's look-up matches every row (NULL).
            token.HasIndex(t => t.ParentTokenId).HasFilter("\"ParentTokenId\" IS NOT NULL");
            // The expiry notice scan reads live long-lived tokens by how soon they expire. Partial, so
            // that it stays small and no other query (derived-token summaries filter on expiry too)
            // is steered onto it instead of the parent index.
            token.HasIndex(t => t.ExpiresAt)
                .HasFilter("\"Kind\" = 0 AND \"RevokedAt\" IS NULL AND \"RotatedAt\" IS NULL");
            // Computed by the database (each provider's SQL beside its model): never written by the app.
            token.Property<double>(LifetimeDays);
            // The Overview counts every live long-lived token in one pass (by API, expiry, owner
            // kind, use, policy): everything it reads is in this index, narrower than the rows (no
            // secret hash, names or addresses), so SQLite (and PostgreSQL, once vacuumed) never
            // reads the table. The lifetime is kept here (on SQLite, where the column is virtual, the
            // index is where its value is stored), so the policy test reads it instead of two dates.
            token.HasIndex([nameof(AccessToken.ExpiresAt), nameof(AccessToken.ApiType), LifetimeDays, nameof(AccessToken.LastUsedAt),
                    nameof(AccessToken.RotatedAt), nameof(AccessToken.OwnerId)], "IX_AccessTokens_LiveSummary")
                .HasFilter("\"Kind\" = 0 AND \"RevokedAt\" IS NULL");
            token.HasOne<PanelUser>().WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TokenNotice>(notice =>
        {
            notice.ToTable("TokenNotices");
            notice.HasKey(n => n.Id);
            notice.Property(n => n.OwnerId).HasMaxLength(450);
            notice.Property(n => n.Kind).HasConversion<string>().HasMaxLength(20);
            notice.Property(n => n.Key).HasMaxLength(TokenNotice.KeyMaxLength);
            notice.Property(n => n.TokenName).HasMaxLength(TokenRules.MaxNameLength);
            notice.Property(n => n.ApiType).HasConversion<string>().HasMaxLength(20);
            notice.Property(n => n.TokenHint).HasMaxLength(40);
            notice.Property(n => n.Details).HasMaxLength(TokenNotice.DetailsMaxLength);
            // Once per token, person told and reason, whichever instance gets there first (a service
            // account's token tells each of its owners).
            notice.HasIndex(n => new { n.TokenId, n.OwnerId, n.Key }).IsUnique();
            notice.HasIndex(n => new { n.OwnerId, n.CreatedAt });
            notice.HasOne<AccessToken>().WithMany().HasForeignKey(n => n.TokenId).IsRequired(false).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<NoticeDelivery>(delivery =>
        {
            delivery.ToTable("NoticeDeliveries");
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Channel).HasConversion<string>().HasMaxLength(20);
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
            delivery.Property(d => d.Target).HasMaxLength(NoticeDelivery.TargetMaxLength);
            delivery.Property(d => d.LastError).HasMaxLength(NoticeDelivery.LastErrorMaxLength);
            delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
            delivery.HasIndex(d => d.CreatedAt);
            delivery.HasOne<TokenNotice>().WithMany().HasForeignKey(d => d.NoticeId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AuditSinkCursor>(cursor =>
        {
            cursor.ToTable("AuditSinkCursors");
            cursor.HasKey(c => c.Sink);
            cursor.Property(c => c.Sink).HasMaxLength(AuditSinkCursor.SinkMaxLength);
            cursor.Property(c => c.LastError).HasMaxLength(AuditSinkCursor.LastErrorMaxLength);
        });

        // Token usage history (TokenUsageHistory): no foreign key to AccessTokens, so a flush never
        // fails on a token deleted meanwhile; rows of such a token age out with the rest. The Day
        // and LastSeenAt indexes serve the pruning of rows older than the retention.
        builder.Entity<TokenDailyUsage>(usage =>
        {
            usage.ToTable("TokenDailyUsage");
            usage.HasKey(u => new { u.TokenId, u.Day });
            // By day for pruning. By token with day and count for the Overview's most active tokens:
            // the sums per token come out of the index in token order, never the rows, and need no
            // sort of every row into groups (the calls per day come from TokenDailyTotals).
            usage.HasIndex(u => u.Day);
            usage.HasIndex(u => new { u.TokenId, u.Day, u.Requests });
        });
        builder.Entity<TokenDailyRefusals>(refusals =>
        {
            refusals.ToTable("TokenDailyRefusals");
            refusals.Property(r => r.Reason).HasConversion<string>().HasMaxLength(32);
            refusals.HasKey(r => new { r.TokenId, r.Day, r.Reason });
            refusals.HasIndex(r => r.Day);
        });
        // The same counts summed over every token, per day (and reason): what the Overview charts.
        // Kept by the flush beside the per-token rows; the key is what two instances inserting the
        // same day at once collide on.
        builder.Entity<TokenDailyTotals>(totals =>
        {
            totals.ToTable("TokenDailyTotals");
            totals.HasKey(t => t.Day);
        });
        builder.Entity<TokenDailyRefusalTotals>(totals =>
        {
            totals.ToTable("TokenDailyRefusalTotals");
            totals.Property(t => t.Reason).HasConversion<string>().HasMaxLength(32);
            totals.HasKey(t => new { t.Day, t.Reason });
        });
        builder.Entity<TokenRecentAddress>(address =>
        {
            address.ToTable("TokenRecentAddresses");
            address.Property(a => a.Address).HasMaxLength(64);
            address.HasKey(a => new { a.TokenId, a.Address });
            address.HasIndex(a => a.LastSeenAt);
        });

        builder.Entity<ServiceAccountOwner>(owner =>
        {
            owner.ToTable("ServiceAccountOwners");
            owner.HasKey(o => new { o.ServiceAccountId, o.UserId });
            owner.Property(o => o.ServiceAccountId).HasMaxLength(450);
            owner.Property(o => o.UserId).HasMaxLength(450);
            owner.HasIndex(o => o.UserId);
            owner.HasOne<PanelUser>().WithMany().HasForeignKey(o => o.ServiceAccountId).OnDelete(DeleteBehavior.Cascade);
            // Not a second cascade path into one table (SQL Server refuses it): a person's ownerships go
            // in code, with the person (users are soft-deleted anyway).
            owner.HasOne<PanelUser>().WithMany().HasForeignKey(o => o.UserId).OnDelete(DeleteBehavior.NoAction);
        });

        builder.Entity<TokenPolicy>(policy =>
        {
            policy.ToTable("TokenPolicies");
            policy.HasKey(p => p.ApiType);
            policy.Property(p => p.ApiType).HasConversion<string>().HasMaxLength(20);
            policy.Property(p => p.CreatorRoles).HasMaxLength(TokenPolicy.CreatorRolesMaxLength);
            policy.Property(p => p.ApprovalRole).HasMaxLength(100);
            policy.Ignore(p => p.CreatorRoleList);
        });

        builder.Entity<TokenRequest>(request =>
        {
            request.ToTable("TokenRequests");
            request.HasKey(r => r.Id);
            request.Property(r => r.RequesterId).HasMaxLength(450);
            request.Property(r => r.OwnerId).HasMaxLength(450);
            request.Property(r => r.DeciderId).HasMaxLength(450);
            request.Property(r => r.Name).HasMaxLength(TokenRules.MaxNameLength);
            request.Property(r => r.ApiType).HasConversion<string>().HasMaxLength(20);
            request.Property(r => r.DelegatedRole).HasMaxLength(100);
            request.Property(r => r.AllowedAddresses).HasMaxLength(TokenRules.AllowedAddressesColumnLength);
            request.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            request.Property(r => r.Reason).HasMaxLength(TokenRequest.ReasonMaxLength);
            request.Ignore(r => r.LapsesAt);
            request.Ignore(r => r.Expiry);
            request.HasIndex(r => new { r.RequesterId, r.CreatedAt });
            request.HasIndex(r => new { r.Status, r.CreatedAt });
            // The token a request became: one request, one token, however many times "take" is pressed.
            request.HasIndex(r => r.TokenId).IsUnique().HasFilter("\"TokenId\" IS NOT NULL");
            request.HasOne<PanelUser>().WithMany().HasForeignKey(r => r.OwnerId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("AuditEntries");
            entry.Property(e => e.ActorId).HasMaxLength(450);
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.SubjectType).HasMaxLength(64);
            entry.Property(e => e.SubjectId).HasMaxLength(450);
            entry.Property(e => e.Details).HasMaxLength(2000);
            // Keyset paging, newest first: (OccurredAt, Id) is the page cursor, with or without an action filter.
            entry.HasIndex(e => new { e.OccurredAt, e.Id });
            entry.HasIndex(e => new { e.Action, e.OccurredAt, e.Id });
        });

        builder.Entity<ExternalTokenValidator>(validator =>
        {
            validator.ToTable("ExternalTokenValidators");
            validator.HasKey(v => v.Id);
            validator.Property(v => v.Name).HasMaxLength(ExternalTokenValidator.NameMaxLength);
            validator.Property(v => v.Issuer).HasMaxLength(ExternalTokenValidator.UrlMaxLength);
            validator.Property(v => v.JwksUrl).HasMaxLength(ExternalTokenValidator.UrlMaxLength);
            validator.Property(v => v.Audience).HasMaxLength(ExternalTokenValidator.AudienceMaxLength);
            validator.Property(v => v.UserClaim).HasConversion<string>().HasMaxLength(20);
            validator.Property(v => v.MaxRole).HasMaxLength(ExternalTokenValidator.RoleMaxLength);
            validator.HasIndex(v => v.Name).IsUnique();
            validator.HasIndex(v => v.Issuer);
        });

        builder.Entity<UserSession>(session =>
        {
            session.ToTable("UserSessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.Id).HasMaxLength(64);
            session.Property(s => s.UserId).HasMaxLength(450);
            session.Property(s => s.Stage).HasConversion<string>().HasMaxLength(20);
            session.Property(s => s.Address).HasMaxLength(64);
            session.Property(s => s.SignInMethod).HasMaxLength(32);
            session.Property(s => s.ProviderSubject).HasMaxLength(UserSession.ProviderValueMaxLength);
            session.Property(s => s.ProviderSessionId).HasMaxLength(UserSession.ProviderValueMaxLength);
            session.HasIndex(s => new { s.UserId, s.EndedAt });
            // Back-channel logout finds the sessions by the provider's sid or sub.
            session.HasIndex(s => s.ProviderSessionId);
            session.HasIndex(s => s.ProviderSubject);
            session.HasOne<PanelUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PasskeyLastUse>(use =>
        {
            use.ToTable("PasskeyLastUses");
            use.HasKey(u => u.CredentialId);
            use.Property(u => u.CredentialId).HasMaxLength(1024);
            use.Property(u => u.UserId).HasMaxLength(450);
            use.HasIndex(u => u.UserId);
            // No foreign key to Identity's passkey row (EF then maps its JSON data as an entity of its
            // own): PasskeyAccounts deletes this row with the passkey.
            use.HasOne<PanelUser>().WithMany().HasForeignKey(u => u.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PasskeyStepUp>(stepUp =>
        {
            stepUp.ToTable("PasskeyStepUps");
            stepUp.HasKey(p => p.Id);
            stepUp.Property(p => p.Id).HasMaxLength(64);
            stepUp.Property(p => p.UserId).HasMaxLength(450);
            stepUp.Property(p => p.ChallengeHash).HasMaxLength(64);
            stepUp.HasIndex(p => p.ChallengeHash).IsUnique();
            stepUp.HasIndex(p => p.CreatedAt);
            stepUp.HasOne<PanelUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PanelSettings>(settings =>
        {
            settings.ToTable("Settings");
            settings.Property(s => s.Id).ValueGeneratedNever();
            settings.Property(s => s.OrganizationName).HasMaxLength(200);
        });

        builder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("DataProtectionKeys");
            key.Property(k => k.FriendlyName).HasMaxLength(100);
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

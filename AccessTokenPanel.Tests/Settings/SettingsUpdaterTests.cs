using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Settings;

public class SettingsUpdaterTests
{
    [Fact]
    public async Task EachChangeIsSavedAndNamedInOneAuditEntry()
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);

        var result = await SaveAsync(db, new SettingsChange(admin.Id, "via a test")
        {
            MaxLifetimeDays = 183, DefaultExpiryDays = 60, AllowedApis = new HashSet<ApiType> { ApiType.Configuration, ApiType.Rest },
            OrganizationName = " Example Corp ",
        });

        Assert.True(result.Succeeded);
        Assert.Equal(["maxLifetimeDays 365 -> 183", "defaultExpiryDays 90 -> 60", "scimApi True -> False", "organizationName AccessTokenPanel -> Example Corp"], result.Changes);
        await using var scope = db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var settings = await context.Settings.SingleAsync();
        Assert.Equal(183, settings.MaxLifetimeDays);
        Assert.Equal(60, settings.DefaultExpiryDays);
        Assert.False(settings.Allows(ApiType.Scim));
        Assert.True(settings.Allows(ApiType.Rest));
        Assert.Equal("Example Corp", settings.OrganizationName);
        Assert.Equal(db.Time.GetUtcNow().UtcDateTime, settings.UpdatedAt);
        var entry = await context.AuditEntries.SingleAsync();
        Assert.Equal(AuditActions.SettingsChanged, entry.Action);
        Assert.Equal(admin.Id, entry.ActorId);
        Assert.Equal("maxLifetimeDays 365 -> 183, defaultExpiryDays 90 -> 60, scimApi True -> False, organizationName AccessTokenPanel -> Example Corp, via a test", entry.Details);
    }

    [Fact]
    public async Task ValuesLeftOutKeepWhatIsStored()
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);

        var result = await SaveAsync(db, new SettingsChange(admin.Id, "via a test") { DefaultExpiryDays = 30 });

        Assert.Equal(["defaultExpiryDays 90 -> 30"], result.Changes);
        Assert.Equal(365, result.Settings!.MaxLifetimeDays);
        Assert.True(ApiTypes.All.All(result.Settings.Allows));
        Assert.Equal("AccessTokenPanel", result.Settings.OrganizationName);
    }

    [Fact]
    public async Task SavingWhatIsAlreadyStoredLeavesNoAuditEntry()
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);

        var result = await SaveAsync(db, new SettingsChange(admin.Id, "via a test")
        {
            MaxLifetimeDays = 365, DefaultExpiryDays = 90, AllowedApis = ApiTypes.All.ToHashSet(), OrganizationName = "AccessTokenPanel",
        });

        Assert.True(result.Succeeded);
        Assert.Empty(result.Changes);
        await using var scope = db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        Assert.Equal(0, await context.AuditEntries.CountAsync());
        Assert.Equal(default, (await context.Settings.SingleAsync()).UpdatedAt);
    }

    [Theory]
    [InlineData(0, null, null, SettingsErrorCodes.MaxLifetimeOutOfRange, SettingsFields.MaxLifetimeDays, "The maximum lifetime must be between 1 and 3650 days.")]
    [InlineData(3651, null, null, SettingsErrorCodes.MaxLifetimeOutOfRange, SettingsFields.MaxLifetimeDays, "The maximum lifetime must be between 1 and 3650 days.")]
    [InlineData(30, null, null, SettingsErrorCodes.DefaultExpiryOutOfRange, SettingsFields.DefaultExpiryDays, "The default expiry must be between 1 day and the maximum lifetime (30 days).")]
    [InlineData(null, 0, null, SettingsErrorCodes.DefaultExpiryOutOfRange, SettingsFields.DefaultExpiryDays, "The default expiry must be between 1 day and the maximum lifetime (365 days).")]
    [InlineData(null, 366, null, SettingsErrorCodes.DefaultExpiryOutOfRange, SettingsFields.DefaultExpiryDays, "The default expiry must be between 1 day and the maximum lifetime (365 days).")]
    [InlineData(null, null, "  ", SettingsErrorCodes.OrganizationNameLength, SettingsFields.OrganizationName, "The organization name must have 1 to 200 characters.")]
    public async Task AWrongValueIsRefusedWithACodedMessageAndNothingIsSaved(
        int? maxLifetime, int? defaultExpiry, string? organization, string code, string field, string message)
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);

        var result = await SaveAsync(db, new SettingsChange(admin.Id, "via a test")
        {
            MaxLifetimeDays = maxLifetime, DefaultExpiryDays = defaultExpiry, AllowedApis = new HashSet<ApiType>(), OrganizationName = organization,
        });

        Assert.False(result.Succeeded);
        Assert.Equal(new DomainError(code, field, message), result.Errors[0]);
        await AssertNothingSavedAsync(db);
    }

    [Fact]
    public async Task AnOrganizationNameOf200CharactersIsKeptButNot201()
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);

        var tooLong = await SaveAsync(db, new SettingsChange(admin.Id, "via a test") { OrganizationName = new string('x', 201) });
        var longest = await SaveAsync(db, new SettingsChange(admin.Id, "via a test") { OrganizationName = new string('x', 200) });

        Assert.Equal(SettingsErrorCodes.OrganizationNameLength, Assert.Single(tooLong.Errors).Code);
        Assert.True(longest.Succeeded);
        Assert.Equal(200, longest.Settings!.OrganizationName.Length);
    }

    [Fact]
    public async Task EveryWrongFieldGetsItsOwnMessage()
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);

        var result = await SaveAsync(db, new SettingsChange(admin.Id, "via a test") { MaxLifetimeDays = 0, DefaultExpiryDays = 90, OrganizationName = "" });

        Assert.Equal([SettingsFields.MaxLifetimeDays, SettingsFields.DefaultExpiryDays, SettingsFields.OrganizationName], result.Errors.Select(e => e.Field));
        Assert.Equal("The default expiry must be between 1 day and the maximum lifetime (0 days).", result.Errors[1].Message);
        await AssertNothingSavedAsync(db);
    }

    [Fact]
    public async Task ValidatingFindsTheSameErrorsAndSavesNothing()
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);
        var wrong = new SettingsChange(admin.Id, "via a test") { MaxLifetimeDays = 30, OrganizationName = "Example Corp" };
        var right = wrong with { DefaultExpiryDays = 30 };

        await using var scope = db.Scope();
        var updater = scope.ServiceProvider.GetRequiredService<SettingsUpdater>();
        var actor = await scope.ServiceProvider.SessionAsync(wrong.ActorId, via: wrong.Via);
        var errors = await updater.ValidateAsync(actor, wrong);
        var none = await updater.ValidateAsync(actor, right);

        Assert.Equal(SettingsErrorCodes.DefaultExpiryOutOfRange, Assert.Single(errors).Code);
        Assert.Empty(none);
        await AssertNothingSavedAsync(db);
    }

    [Fact]
    public async Task SomeoneWithoutTheSettingsPermissionChangesNothing()
    {
        await using var db = new SqliteTestDatabase();
        var reader = await db.AddUserAsync("reader@example.com", PanelRoles.ReadOnly);

        var result = await SaveAsync(db, new SettingsChange(reader.Id, "via a test") { MaxLifetimeDays = 30, DefaultExpiryDays = 30 });

        Assert.False(result.Succeeded);
        Assert.Equal((AuthorizationErrors.PermissionMissingCode, ErrorKind.Forbidden), (result.Errors[0].Code, result.Errors[0].Kind));
        await AssertNothingSavedAsync(db);
    }

    private static async Task<SettingsChangeResult> SaveAsync(SqliteTestDatabase db, SettingsChange change)
    {
        await using var scope = db.Scope();
        return await scope.ServiceProvider.GetRequiredService<SettingsUpdater>()
            .SaveAsync(await scope.ServiceProvider.SessionAsync(change.ActorId, via: change.Via), change);
    }

    private static async Task AssertNothingSavedAsync(SqliteTestDatabase db)
    {
        await using var scope = db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var settings = await context.Settings.SingleOrDefaultAsync();
        Assert.True(settings is null || (settings.MaxLifetimeDays, settings.DefaultExpiryDays, settings.OrganizationName) == (365, 90, "AccessTokenPanel"));
        Assert.Equal(0, await context.AuditEntries.CountAsync());
    }
}

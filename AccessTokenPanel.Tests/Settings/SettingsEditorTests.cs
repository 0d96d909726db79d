using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Settings;

public class SettingsEditorTests
{
    [Fact]
    public async Task ChangesAreSavedAndAuditedOneByOne()
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);

        var (errors, changes) = await SaveAsync(db, new SettingsInput
        {
            MaxLifetimeDays = "183", DefaultExpiryDays = "60", ConfigurationApi = true, ScimApi = false, RestApi = true,
            OrganizationName = " Example Corp ",
            AccessTokenLifetimeMinutes = "60", ConfigurationApiDirect = true, ScimApiDirect = true, RestApiDirect = true,
        }, admin.Id);

        Assert.Empty(errors);
        Assert.Equal(["maxLifetimeDays 365 -> 183", "defaultExpiryDays 90 -> 60", "scimApi True -> False", "organizationName AccessTokenPanel -> Example Corp"], changes);
        await using var scope = db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        var settings = await context.Settings.SingleAsync();
        Assert.Equal(183, settings.MaxLifetimeDays);
        Assert.False(settings.Allows(Domain.Tokens.ApiType.Scim));
        Assert.Equal("Example Corp", settings.OrganizationName);
        Assert.Equal(db.Time.GetUtcNow().UtcDateTime, settings.UpdatedAt);
        var entry = await context.AuditEntries.SingleAsync();
        Assert.Equal(AuditActions.SettingsChanged, entry.Action);
        Assert.Equal(admin.Id, entry.ActorId);
        Assert.Contains("maxLifetimeDays 365 -> 183", entry.Details);
    }

    [Fact]
    public async Task SavingWithoutChangesLeavesNoAuditEntry()
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);

        var (errors, changes) = await SaveAsync(db, SettingsEditor.InputFrom(new PanelSettings()), admin.Id);

        Assert.Empty(errors);
        Assert.Empty(changes);
        await using var scope = db.Scope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PanelDbContext>().AuditEntries.CountAsync());
    }

    [Theory]
    [InlineData("0", "90", "Org", "MaxLifetimeDays", "The maximum lifetime must be between 1 and 3650 days.")]
    [InlineData("3651", "90", "Org", "MaxLifetimeDays", "The maximum lifetime must be between 1 and 3650 days.")]
    [InlineData("a year", "90", "Org", "MaxLifetimeDays", "The maximum lifetime must be between 1 and 3650 days.")]
    [InlineData("30", "90", "Org", "DefaultExpiryDays", "The default expiry must be between 1 day and the maximum lifetime (30 days).")]
    [InlineData("365", "", "Org", "DefaultExpiryDays", "The default expiry must be between 1 day and the maximum lifetime (365 days).")]
    [InlineData("365", "90", "  ", "OrganizationName", "The organization name must have 1 to 200 characters.")]
    public async Task BadValuesAreRefusedWithAMessageAndNothingIsSaved(string max, string defaultDays, string organization, string field, string message)
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);

        var (errors, _) = await SaveAsync(db, new SettingsInput
        {
            MaxLifetimeDays = max, DefaultExpiryDays = defaultDays, RestApi = true, OrganizationName = organization, AccessTokenLifetimeMinutes = "60",
        }, admin.Id);

        Assert.Equal(message, errors[field]);
        await using var scope = db.Scope();
        var settings = await scope.ServiceProvider.GetRequiredService<PanelDbContext>().Settings.SingleOrDefaultAsync();
        Assert.True(settings is null || settings.MaxLifetimeDays == 365);
    }

    [Theory]
    [InlineData("4")]
    [InlineData("1441")]
    [InlineData("an hour")]
    [InlineData("")]
    public async Task AnAccessTokenLifetimeOutsideTheDomainsBoundsGetsItsMessageBesideTheFieldAndNothingIsSaved(string minutes)
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);
        var input = SettingsEditor.InputFrom(new PanelSettings());
        input.AccessTokenLifetimeMinutes = minutes;
        input.OrganizationName = "Changed too";

        var (errors, changes) = await SaveAsync(db, input, admin.Id);

        Assert.Equal(SettingsError.AccessTokenLifetimeOutOfRange().Message, errors[nameof(SettingsInput.AccessTokenLifetimeMinutes)]);
        Assert.Equal("The access token lifetime must be between 5 and 1440 minutes.", errors[nameof(SettingsInput.AccessTokenLifetimeMinutes)]);
        Assert.Single(errors);
        Assert.Empty(changes);
        await using var scope = db.Scope();
        var settings = await scope.ServiceProvider.GetRequiredService<SettingsStore>().GetAsync();
        Assert.Equal("AccessTokenPanel", settings.OrganizationName);
        Assert.Equal(60, settings.AccessTokenLifetimeMinutes);
    }

    [Fact]
    public async Task TheAccessTokenLifetimeAndTheDirectCallSwitchesAreSavedAndAudited()
    {
        await using var db = new SqliteTestDatabase();
        var admin = await db.AddUserAsync("admin@example.com", PanelRoles.TokenPolicyAdministrator);
        var input = SettingsEditor.InputFrom(new PanelSettings());
        input.AccessTokenLifetimeMinutes = " 15 ";
        input.ScimApiDirect = false;
        input.RestApiDirect = false;

        var (errors, changes) = await SaveAsync(db, input, admin.Id);

        Assert.Empty(errors);
        Assert.Equal(["accessTokenLifetimeMinutes 60 -> 15", "scimApiDirectCalls True -> False", "restApiDirectCalls True -> False"], changes);
        await using var scope = db.Scope();
        var settings = await scope.ServiceProvider.GetRequiredService<SettingsStore>().GetAsync();
        Assert.Equal(15, settings.AccessTokenLifetimeMinutes);
        Assert.True(settings.AllowsDirectCalls(Domain.Tokens.ApiType.Configuration));
        Assert.False(settings.AllowsDirectCalls(Domain.Tokens.ApiType.Scim));
        Assert.False(settings.AllowsDirectCalls(Domain.Tokens.ApiType.Rest));
        var reread = SettingsEditor.InputFrom(settings);
        Assert.Equal("15", reread.AccessTokenLifetimeMinutes);
        Assert.True(reread.ConfigurationApiDirect);
        Assert.False(reread.ScimApiDirect);
    }

    private static async Task<(IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> Changes)> SaveAsync(
        SqliteTestDatabase db, SettingsInput input, string actorId)
    {
        await using var scope = db.Scope();
        return await ActivatorUtilities.CreateInstance<SettingsEditor>(scope.ServiceProvider).SaveAsync(input, actorId);
    }
}

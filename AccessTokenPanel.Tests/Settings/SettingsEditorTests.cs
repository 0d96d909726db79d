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
        var admin = await db.AddUserAsync("admin@example.com");

        var (errors, changes) = await SaveAsync(db, new SettingsInput
        {
            MaxLifetimeDays = "183", DefaultExpiryDays = "60", ConfigurationApi = true, ScimApi = false, RestApi = true,
            OrganizationName = " Example Corp ",
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
        var admin = await db.AddUserAsync("admin@example.com");

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
        var admin = await db.AddUserAsync("admin@example.com");

        var (errors, _) = await SaveAsync(db, new SettingsInput
        {
            MaxLifetimeDays = max, DefaultExpiryDays = defaultDays, RestApi = true, OrganizationName = organization,
        }, admin.Id);

        Assert.Equal(message, errors[field]);
        await using var scope = db.Scope();
        var settings = await scope.ServiceProvider.GetRequiredService<PanelDbContext>().Settings.SingleOrDefaultAsync();
        Assert.True(settings is null || settings.MaxLifetimeDays == 365);
    }

    private static async Task<(IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> Changes)> SaveAsync(
        SqliteTestDatabase db, SettingsInput input, string actorId)
    {
        await using var scope = db.Scope();
        return await ActivatorUtilities.CreateInstance<SettingsEditor>(scope.ServiceProvider).SaveAsync(input, actorId);
    }
}

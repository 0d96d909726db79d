using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Settings;

/// <summary>The Settings and Audit log pages over a live circuit: who may change what, and that changes show where they matter.</summary>
public sealed class SettingsAndAuditBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task AnAdministratorShortensTheMaximumLifetimeAndTheChangeIsAuditedAndEnforced()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);
        await GotoInteractiveAsync(page, "/users");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath == "/settings");
        var max = page.GetByLabel("Maximum lifetime (days)", new() { Exact = true });
        await Assertions.Expect(max).ToHaveValueAsync("365");

        await max.FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The maximum lifetime must be between 1 and 3650 days.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was saved.");
        await Assertions.Expect(max).ToHaveValueAsync("0");

        await max.FillAsync("183");
        var allowed = page.GetByRole(AriaRole.Group, new() { Name = "Allowed APIs" });
        await allowed.GetByLabel("SCIM API").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The settings were saved.");
        await Assertions.Expect(max).ToHaveValueAsync("183");
        await Assertions.Expect(allowed.GetByLabel("SCIM API")).Not.ToBeCheckedAsync();

        // What the Generate dialog and the APIs enforce is read from the same store.
        await using (var scope = Factory.Scope())
        {
            var saved = await scope.ServiceProvider.GetRequiredService<SettingsStore>().GetAsync();
            Assert.Equal(183, saved.MaxLifetimeDays);
            Assert.False(saved.ScimApiEnabled);
        }

        var garbled = await page.GotoAsync("/audit?page=abc&action=nope");
        Assert.Equal(200, garbled!.Status);
        await GotoInteractiveAsync(page, "/audit");
        var newest = page.GetByRole(AriaRole.Row).Nth(1);
        await Assertions.Expect(newest).ToContainTextAsync("settings.changed");
        await Assertions.Expect(newest).ToContainTextAsync("maxLifetimeDays 365 -> 183");
        await Assertions.Expect(newest).ToContainTextAsync("root@example.test");
    }

    [Fact]
    public async Task TheAuditFilterLivesInTheAddressSoItCanBeBookmarkedAndUndoneWithBack()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);
        await using (var scope = Factory.Scope())
        {
            var change = new SettingsChange(admin.Id, "in a test") { MaxLifetimeDays = 200 };
            Assert.True((await scope.ServiceProvider.GetRequiredService<SettingsUpdater>().SaveAsync(await scope.ServiceProvider.SessionAsync(change.ActorId, via: change.Via), change)).Succeeded);
        }
        await GotoInteractiveAsync(page, "/audit");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "settings.changed" })).ToHaveCountAsync(1);
        var all = await page.GetByRole(AriaRole.Row).CountAsync();

        await page.ChooseAsync(page.Locator("main"), "Action", "settings.changed");
        // The filter changes the address in place (no page load to wait for): poll the URL, as the token list's tests do.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/audit\\?action=settings\\.changed$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);

        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/audit$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Row)).ToHaveCountAsync(all);

        await GotoInteractiveAsync(page, "/audit?action=settings.changed");
        await Assertions.Expect(page.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Action" })).ToHaveTextAsync("settings.changed");
    }

    [Fact]
    public async Task TheAccessTokenLifetimeIsRefusedBesideItsFieldThenSavedWithTheDirectCallSwitches()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);
        await GotoInteractiveAsync(page, "/settings");

        var lifetime = page.GetByLabel("Access token lifetime (minutes)");
        var direct = page.GetByRole(AriaRole.Group, new() { Name = "Long-lived tokens may call this API directly" });
        await Assertions.Expect(lifetime).ToHaveValueAsync("60");
        await Assertions.Expect(direct.GetByLabel("REST API")).ToBeCheckedAsync();

        await lifetime.FillAsync("2000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        // The Domain's message (SettingsError), beside the field, with the typed value kept.
        await Assertions.Expect(page.GetByText(SettingsError.AccessTokenLifetimeOutOfRange().Message)).ToBeVisibleAsync();
        await Assertions.Expect(lifetime).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(lifetime).ToHaveValueAsync("2000");
        await using (var scope = Factory.Scope())
        {
            Assert.Equal(60, (await scope.ServiceProvider.GetRequiredService<SettingsStore>().GetAsync()).AccessTokenLifetimeMinutes);
        }

        await lifetime.FillAsync("15");
        await direct.GetByLabel("REST API").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The settings were saved.");
        await Assertions.Expect(page.GetByText(SettingsError.AccessTokenLifetimeOutOfRange().Message)).ToHaveCountAsync(0);

        await using (var scope = Factory.Scope())
        {
            var saved = await scope.ServiceProvider.GetRequiredService<SettingsStore>().GetAsync();
            Assert.Equal(15, saved.AccessTokenLifetimeMinutes);
            Assert.False(saved.RestApiDirectCalls);
            Assert.True(saved.ScimApiDirectCalls);
        }
        await GotoInteractiveAsync(page, "/settings");
        await Assertions.Expect(lifetime).ToHaveValueAsync("15");
        await Assertions.Expect(direct.GetByLabel("REST API")).Not.ToBeCheckedAsync();
    }

    [Fact]
    public async Task AReaderSeesThePolicyButCannotChangeIt()
    {
        var reader = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "reader@example.test", PanelRoles.ReadOnly);
        await using (var scope = Factory.Scope())
        {
            var change = new SettingsChange(reader.Id, "in a test") { AccessTokenLifetimeMinutes = 45, DirectCallApis = new HashSet<ApiType> { ApiType.Scim } };
            // Seeded by an administrator: the reader may not change settings (the test below checks the page agrees).
            var seeder = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "seeder@example.test", PanelRoles.SuperAdministrator);
            Assert.True((await scope.ServiceProvider.GetRequiredService<SettingsUpdater>()
                .SaveAsync(await scope.ServiceProvider.SessionAsync(seeder.Id, via: change.Via), change)).Succeeded);
            // Stored directly: adding one through the Domain needs a Super Administrator and a code, which this page's reader is not.
            var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
            db.ExternalTokenValidators.Add(new ExternalTokenValidator
            {
                Id = Guid.NewGuid(), Name = "Corporate IdP", Issuer = "https://login.example.com/tenant", Audience = "api://panel",
                CreatedAt = Factory.Time.GetUtcNow().UtcDateTime, UpdatedAt = Factory.Time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync();
        }
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, reader, Factory.Time);

        await GotoInteractiveAsync(page, "/settings");
        await Assertions.Expect(page.GetByText("365 days")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("45 minutes")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("dt:text-is('Long-lived tokens may call directly') + dd")).ToHaveTextAsync("SCIM API");
        var validators = page.GetByRole(AriaRole.Region, new() { Name = "External token validators" }).GetByRole(AriaRole.Table);
        await Assertions.Expect(validators.GetByRole(AriaRole.Row, new() { Name = "Corporate IdP" })).ToContainTextAsync("https://login.example.com/tenant");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save settings" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add validator" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit Corporate IdP" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove Corporate IdP" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task NavigationOffersOnlyWhatTheUserMayOpen()
    {
        var tokenUser = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "plain@example.test");
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, tokenUser, Factory.Time);

        await page.GotoAsync("/tokens");
        var links = await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link).AllTextContentsAsync();
        // Anyone may own a service account, so anyone may open the list of the ones they own.
        Assert.Equal(["Overview", "Access tokens", "Service accounts"], links.Select(l => l.Trim()));
        await page.GotoAsync("/audit");
        Assert.Equal("/account/access-denied", new Uri(page.Url).AbsolutePath);
    }
}

using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Users;

public sealed class UsersBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task AdministratorCreatesDisablesAndResetsAUserFromTheUsersPage()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "admin@example.test", PanelRoles.SuperAdministrator);
        var other = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "other@example.test", PanelRoles.ReadOnly);
        var page = await NewPageAsync(javaScriptEnabled: false);
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);

        await page.GotoAsync("/users");
        await page.GetByRole(AriaRole.Link, new() { Name = "Create user" }).ClickAsync();
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("carol@example.test");
        await page.GetByLabel("Display name").FillAsync("Carol");
        await page.GetByLabel("Role").SelectOptionAsync(new SelectOptionValue { Value = PanelRoles.TokenPolicyAdministrator });
        await page.GetByLabel("Initial password").FillAsync("carol-initial-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Created carol@example.test");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "carol@example.test" })).ToContainTextAsync(PanelRoles.TokenPolicyAdministrator);

        await page.GetByRole(AriaRole.Button, new() { Name = "Disable carol@example.test" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "carol@example.test" })).ToContainTextAsync("Disabled");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable carol@example.test" })).ToBeVisibleAsync();

        var otherRow = page.GetByRole(AriaRole.Row, new() { Name = "other@example.test" });
        await otherRow.GetByText("Reset second factor").ClickAsync();
        await otherRow.GetByRole(AriaRole.Button, new() { Name = "Yes, reset the second factor of other@example.test" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Reset the second factor of other@example.test");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "other@example.test" })).ToContainTextAsync("Not enrolled");
        Assert.NotNull(other);
    }
}

using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Users;

/// <summary>The Users page over a live circuit: dialogs, row actions, and the circuit's user checked at every action.</summary>
public sealed class UsersBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task AdministratorCreatesDisablesAndResetsAUserFromTheUsersPage()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "admin@example.test", PanelRoles.SuperAdministrator);
        await TestUsers.CreateEnrolledUserAsync(Factory.Services, "other@example.test", PanelRoles.ReadOnly);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);
        await GotoInteractiveAsync(page, "/users");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Create user" });
        await dialog.GetByLabel("Email", new() { Exact = true }).FillAsync("carol@example.test");
        await dialog.GetByLabel("Display name").FillAsync("Carol");
        await page.ChooseAsync(dialog, "Role", PanelRoles.TokenPolicyAdministrator);
        var password = dialog.GetByLabel("Initial password");
        await password.FillAsync("short");
        await Assertions.Expect(dialog.GetByText("The password must be at least 12 characters.")).ToBeVisibleAsync();
        await password.FillAsync("carol-initial-password");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Created carol@example.test");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "carol@example.test" })).ToContainTextAsync(PanelRoles.TokenPolicyAdministrator);

        await page.GetByRole(AriaRole.Button, new() { Name = "Disable carol@example.test" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "carol@example.test" })).ToContainTextAsync("Disabled");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable carol@example.test" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Reset second factor of other@example.test" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Yes, reset" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Reset the second factor of other@example.test");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "other@example.test" })).ToContainTextAsync("Not enrolled");
    }

    [Fact]
    public async Task CreateDialogKeepsInputAndShowsTheDomainsRefusalBesideTheField()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "admin@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);
        await GotoInteractiveAsync(page, "/users");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Create user" });
        await dialog.GetByLabel("Email", new() { Exact = true }).FillAsync("admin@example.test");
        await page.ChooseAsync(dialog, "Role", PanelRoles.ReadOnly);
        await dialog.GetByLabel("Initial password").FillAsync("a-long-enough-password");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();

        await Assertions.Expect(dialog.GetByText("is already taken")).ToBeVisibleAsync();
        await Assertions.Expect(dialog.GetByLabel("Email", new() { Exact = true })).ToHaveValueAsync("admin@example.test");
        Assert.Equal(1, await Factory.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task AnActionOnAnOpenPageIsRefusedOnceTheUserIsDisabled()
    {
        var root = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var userAdmin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "useradmin@example.test", PanelRoles.UserAdministrator);
        var target = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "target@example.test", PanelRoles.ReadOnly);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, userAdmin, Factory.Time);
        await GotoInteractiveAsync(page, "/users");

        // The page stays open (the revalidation interval is the default 30 s); the button is still shown.
        await DisableAsync(root.Id, userAdmin.Id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable target@example.test" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("You can no longer change users. Nothing was changed.");
        Assert.False(await Factory.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == target.Id).IsDisabled)));
    }

    private async Task DisableAsync(string actorId, string userId)
    {
        await using var scope = Factory.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().DisableAsync(actorId, userId);
        Assert.True(result.Succeeded, result.Message);
    }
}

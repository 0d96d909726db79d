using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Users;

/// <summary>
/// A circuit is not a back door: the open page of a user who is disabled, signed out everywhere or
/// loses a role is lost at the next revalidation. The test host revalidates every second (the
/// product: every 30 s), so waiting for the page to change takes no fixed sleep.
/// </summary>
public sealed class CircuitRevalidationBrowserTests : BrowserTest
{
    public CircuitRevalidationBrowserTests(Chromium chromium) : base(chromium) =>
        Factory.Settings["Circuit:RevalidationInterval"] = "00:00:01";

    [Fact]
    public async Task ADisabledUsersOpenPageStopsWorking()
    {
        var root = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var userAdmin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "useradmin@example.test", PanelRoles.UserAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, userAdmin, Factory.Time);
        await GotoInteractiveAsync(page, "/users");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create user" })).ToBeVisibleAsync();

        await using (var scope = Factory.Scope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().DisableAsync(root.Id, userAdmin.Id);
            Assert.True(result.Succeeded, result.Message);
        }

        await page.WaitForAddressAsync(url => url.AbsolutePath == "/account/login", TimeSpan.FromSeconds(15));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create user" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AUserWhoLosesTheRoleLosesTheOpenPage()
    {
        var userAdmin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "useradmin@example.test", PanelRoles.UserAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, userAdmin, Factory.Time);
        await GotoInteractiveAsync(page, "/users");

        await using (var scope = Factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            var user = await users.FindByIdAsync(userAdmin.Id);
            Assert.True((await users.RemoveFromRoleAsync(user!, PanelRoles.UserAdministrator)).Succeeded);
        }

        await page.WaitForAddressAsync(url => url.AbsolutePath == "/account/access-denied", TimeSpan.FromSeconds(15));
    }
}

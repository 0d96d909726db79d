using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Tokens.Screens;
using AccessTokenPanel.Web.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Look;

/// <summary>
/// Walks every screen of this part of the panel, as a person would, and hands each one (page and a
/// name) to a check: the first-run setup, the sign-in steps, enrollment, users (with the Create user
/// and confirmation dialogs), audit log, settings (with the external token validator dialog), service
/// accounts, approvals, access denied and a token's details page. Used by the screenshot and axe-core tests (ScreenshotTests).
/// </summary>
public static class PanelTour
{
    public static async Task VisitAsync(BrowserTest test, PanelAppFactory factory, Func<Task<IPage>> newPage, Func<IPage, string, Task> check)
    {
        // First run: no user exists yet.
        var setupPage = await newPage();
        var setupUrl = Regex.Match(factory.Logs.AllText, @"http://\S+/account/setup\?code=[A-Za-z0-9_-]+").Value;
        await setupPage.GotoAsync(setupUrl);
        await setupPage.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).WaitForAsync();
        await check(setupPage, "setup");

        var admin = await TestUsers.CreateEnrolledUserAsync(factory.Services, "admin@example.test", PanelRoles.SuperAdministrator);
        await TestUsers.CreateEnrolledUserAsync(factory.Services, "reader-with-a-rather-long-address@example.test", PanelRoles.ReadOnly);

        var page = await newPage();
        await page.GotoAsync("/account/login");
        await check(page, "login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(admin.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Alert).WaitForAsync();
        await check(page, "login-error");

        await BrowserSignIn.SignInAsync(page, admin, factory.Time);
        // The account pages of the account menu, with a passkey on the account (stored as Identity
        // stores a verified one: this tour runs on 127.0.0.1, where WebAuthn does not).
        await StorePasskeyAsync(factory, admin.Id, "Work laptop");
        await page.GotoAsync("/account/passkeys");
        await page.GetByRole(AriaRole.Table, new() { Name = "Passkeys" }).WaitForAsync();
        await check(page, "passkeys");
        await page.GotoAsync("/account/sessions");
        await check(page, "sessions");
        await BrowserTest.GotoInteractiveAsync(page, "/users");
        await check(page, "users");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Create user" });
        await dialog.GetByLabel("Initial password").FillAsync("short");
        await dialog.GetByText("The password must be at least 12 characters.").WaitForAsync();
        await check(page, "users-create-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable reader-with-a-rather-long-address@example.test" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).WaitForAsync();
        await check(page, "users-confirm-dialog");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Status).WaitForAsync();

        await BrowserTest.GotoInteractiveAsync(page, "/audit");
        await check(page, "audit");
        await BrowserTest.GotoInteractiveAsync(page, $"/tokens/{await UsedTokenAsync(factory, admin.Id)}");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Refused calls" }).WaitForAsync();
        await check(page, "token-details");
        await BrowserTest.GotoInteractiveAsync(page, "/settings");
        await check(page, "settings");
        await page.GetByLabel("Maximum lifetime (days)", new() { Exact = true }).FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await page.GetByRole(AriaRole.Alert).WaitForAsync();
        await check(page, "settings-errors");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add validator" }).ClickAsync();
        var validator = page.GetByRole(AriaRole.Dialog, new() { Name = "Add external token validator" });
        try
        {
            await validator.WaitForAsync(new() { Timeout = 5000 });
        }
        catch (TimeoutException)
        {
            // The screenshot check just before takes the full page by resizing the viewport; at phone
            // width MudBlazor re-renders the long Settings page on the resize and a click that lands
            // during it is lost (seen only there, and never without the screenshot). Click once more.
            await page.GetByRole(AriaRole.Button, new() { Name = "Add validator" }).ClickAsync();
        }
        await validator.GetByLabel("Name", new() { Exact = true }).FillAsync("Corporate IdP");
        await validator.GetByLabel("Issuer", new() { Exact = true }).FillAsync("login.example.com");
        await validator.GetByRole(AriaRole.Button, new() { Name = "Add validator" }).ClickAsync();
        await validator.GetByText("Enter the issuer as the https URL").WaitForAsync();
        await check(page, "settings-validator-dialog");
        await validator.GetByLabel("Issuer", new() { Exact = true }).FillAsync("https://login.example.com/a-tenant-with-a-rather-long-identifier/v2.0");
        await validator.GetByLabel("Audience", new() { Exact = true }).FillAsync("api://access-token-panel");
        // A code of a step the sign-in did not use: adding a validator needs one.
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        await validator.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(admin.CodeAt(factory.Time.GetUtcNow()));
        await validator.GetByRole(AriaRole.Button, new() { Name = "Add validator" }).ClickAsync();
        await validator.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.GetByRole(AriaRole.Region, new() { Name = "External token validators" }).GetByRole(AriaRole.Table).WaitForAsync();
        await check(page, "settings-validators");

        // A notice about one of the admin's tokens: the app bar's badge and the notices page.
        await RaiseNoticeAsync(factory, admin.Id);
        await BrowserTest.GotoInteractiveAsync(page, "/notices");
        await page.GetByRole(AriaRole.Link, new() { Name = "Notices, 1 unread" }).WaitForAsync();
        await check(page, "notices");

        // Service accounts: the new-account form, an account's page; and the approvals (none waiting).
        await BrowserTest.GotoInteractiveAsync(page, "/service-accounts");
        await page.GetByRole(AriaRole.Button, new() { Name = "New service account" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("nightly export to the data warehouse");
        await page.ChooseAsync(page.Locator("#new-service-account-form"), "Role", PanelRoles.ReadOnly);
        await check(page, "service-accounts-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create service account" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "nightly export to the data warehouse", Level = 1 }).WaitForAsync();
        await BrowserTest.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = admin.Email }).WaitForAsync();
        await check(page, "service-account");
        await BrowserTest.GotoInteractiveAsync(page, "/approvals");
        await page.GetByText("Nothing is waiting for approval.").WaitForAsync();
        await check(page, "approvals");

        // The second sign-in step and the recovery code page, in a fresh browser context.
        var second = await newPage();
        await second.GotoAsync("/account/login");
        await second.GetByLabel("Email", new() { Exact = true }).FillAsync(admin.Email);
        await second.GetByLabel("Password", new() { Exact = true }).FillAsync(admin.Password);
        await second.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await second.GetByLabel("Authentication code", new() { Exact = true }).WaitForAsync();
        await check(second, "login-two-factor");
        await second.GetByRole(AriaRole.Link, new() { Name = "Use a recovery code instead" }).ClickAsync();
        await second.GetByLabel("Recovery code", new() { Exact = true }).WaitForAsync();
        await check(second, "login-recovery");

        // Enrollment: a new user signs in with the password only.
        var newcomer = await newPage();
        await CreateUnenrolledUserAsync(factory, "newcomer@example.test");
        await newcomer.GotoAsync("/account/login");
        await newcomer.GetByLabel("Email", new() { Exact = true }).FillAsync("newcomer@example.test");
        await newcomer.GetByLabel("Password", new() { Exact = true }).FillAsync(TestUsers.DefaultPassword);
        await newcomer.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await newcomer.GetByLabel("Verification code", new() { Exact = true }).WaitForAsync();
        await check(newcomer, "enroll");

        // A reader who opens a page they may not see.
        var reader = await TestUsers.CreateEnrolledUserAsync(factory.Services, "plain@example.test");
        var denied = await newPage();
        await BrowserSignIn.SignInAsync(denied, reader, factory.Time);
        await denied.GotoAsync("/users");
        await denied.GetByRole(AriaRole.Heading, new() { Name = "Access denied" }).WaitForAsync();
        await check(denied, "access-denied");
    }

    private static async Task StorePasskeyAsync(PanelAppFactory factory, string userId, string name)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var passkey = new UserPasskeyInfo(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(77), factory.Time.GetUtcNow(), 0,
            ["internal"], true, false, false, [0xa0], [0x7b, 0x7d]) { Name = name };
        await users.AddOrUpdatePasskeyAsync((await users.FindByIdAsync(userId))!, passkey);
    }

    private static async Task RaiseNoticeAsync(PanelAppFactory factory, string ownerId)
    {
        var token = await ScreenTestData.IssueAsync(factory.Services, ownerId, "Nightly export to the data warehouse", ApiType.Rest, 5);
        await using var scope = factory.Scope();
        scope.ServiceProvider.GetRequiredService<NoticeBoard>().Add(token, NoticeKind.ExpiresSoon, NoticeBoard.ExpiresSoonKey(7), 7);
        await scope.ServiceProvider.GetRequiredService<PanelDbContext>().SaveChangesAsync();
    }

    /// <summary>A token with some use on record (calls over HTTP, then a flush), for its details page.</summary>
    private static async Task<Guid> UsedTokenAsync(PanelAppFactory factory, string ownerId)
    {
        await using var scope = factory.Scope();
        var issued = await scope.ServiceProvider.GetRequiredService<TokenIssuer>().IssueAsync(new IssueTokenRequest(
            ownerId, "tour token", ApiType.Rest, null, TokenExpiry.InDays(30)));
        using var http = new HttpClient { BaseAddress = factory.ClientOptions.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", issued.Secret);
        for (var i = 0; i < 3; i++)
        {
            (await http.GetAsync("/api/v1/tokens")).EnsureSuccessStatusCode();
        }
        await factory.Services.GetRequiredService<TokenUsageFlusher>().FlushAsync();
        return issued.Token!.Id;
    }

    private static async Task CreateUnenrolledUserAsync(PanelAppFactory factory, string email)
    {
        await using var scope = factory.Scope();
        var users = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Domain.Users.PanelUser>>(scope.ServiceProvider);
        var user = new Domain.Users.PanelUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email };
        Assert.True((await users.CreateAsync(user, TestUsers.DefaultPassword)).Succeeded);
    }
}

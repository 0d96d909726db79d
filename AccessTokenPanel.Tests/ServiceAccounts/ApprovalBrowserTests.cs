using System.Net;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Tokens.Screens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.ServiceAccounts;

/// <summary>
/// Approval end to end in Chromium on live circuits: a Super Administrator Configuration token is
/// requested, waits (no secret), is refused to its own requester's approval, is approved by another
/// person on the Approvals screen, and its secret is taken once with a fresh code. Then a service
/// account is made on its screen and a token issued for it there.
/// </summary>
public sealed class ApprovalBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    private string Code(TestUser user)
    {
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        return user.CodeAt(Factory.Time.GetUtcNow());
    }

    [Fact]
    public async Task APowerfulTokenWaitsForAnotherPersonsApprovalAndItsSecretIsTakenOnce()
    {
        var requester = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "requester@example.test", PanelRoles.SuperAdministrator);
        var approver = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "approver@example.test", PanelRoles.SuperAdministrator);
        await using (var scope = Factory.Scope())
        {
            var saved = await scope.ServiceProvider.GetRequiredService<TokenPolicies>().SaveAsync(await scope.ServiceProvider.SessionAsync(approver.Id),
                new TokenPolicyChange(ApiType.Configuration, null, null, true, false, null, PanelRoles.SuperAdministrator, false));
            Assert.True(saved.Succeeded);
        }

        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, requester, Factory.Time);
        await page.GotoInteractiveAsync("/tokens");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate access token", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Generate access token" });
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Token name", Exact = true }).FillAsync("root");
        await page.ChooseAsync(dialog, "API", "Configuration API");
        await page.ChooseAsync(dialog, "Delegated role", PanelRoles.SuperAdministrator);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Days", Exact = true }).FillAsync("30");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(Code(requester));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        var waiting = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(waiting.GetByRole(AriaRole.Status)).ToContainTextAsync("No secret exists yet");
        await Assertions.Expect(waiting.GetByRole(AriaRole.Textbox, new() { Name = "Access token" })).ToHaveCountAsync(0);
        await waiting.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();
        var requests = page.Locator("section[aria-labelledby=token-requests-heading]");
        await Assertions.Expect(requests.GetByRole(AriaRole.Row).Filter(new() { HasText = "root" })).ToContainTextAsync("Waiting for approval");

        // The requester may approve others' requests, not their own.
        await page.GotoInteractiveAsync("/approvals");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Reason for root" }).FillAsync("I need it");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve root" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("You cannot decide your own token request");

        // Someone else approves it, with a reason.
        var other = await NewPageAsync();
        await BrowserSignIn.SignInAsync(other, approver, Factory.Time);
        await other.GotoInteractiveAsync("/approvals");
        await Assertions.Expect(other.GetByRole(AriaRole.Row).Filter(new() { HasText = "root" })).ToContainTextAsync("requester@example.test");
        await other.GetByRole(AriaRole.Textbox, new() { Name = "Reason for root" }).FillAsync("Release night");
        await other.GetByRole(AriaRole.Button, new() { Name = "Approve root" }).ClickAsync();
        await Assertions.Expect(other.GetByText("Approved 'root' for requester@example.test")).ToBeVisibleAsync();
        await Assertions.Expect(other.GetByText("Nothing is waiting for approval.")).ToBeVisibleAsync();

        // The requester takes the secret once, with a fresh code.
        await page.GotoInteractiveAsync("/tokens");
        var row = page.Locator("section[aria-labelledby=token-requests-heading]").GetByRole(AriaRole.Row).Filter(new() { HasText = "root" });
        await Assertions.Expect(row).ToContainTextAsync("Approved by approver@example.test");
        await Assertions.Expect(row).ToContainTextAsync("Release night");
        await row.GetByRole(AriaRole.Button, new() { Name = "Take secret of root" }).ClickAsync();
        await row.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code" }).FillAsync(Code(requester));
        await row.GetByRole(AriaRole.Button, new() { Name = "Take", Exact = true }).ClickAsync();
        var field = page.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true });
        await Assertions.Expect(field).ToHaveValueAsync(new Regex("^atp_cfg_"));
        var secret = await field.InputValueAsync();
        using (var http = new HttpClient { BaseAddress = BaseAddress })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", secret);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/config/v1/settings")).StatusCode);
        }
        await Assertions.Expect(row).ToContainTextAsync("Taken");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Take secret of root" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();
        // The dialog closes on the circuit's next render: wait for the secret to leave the page, then
        // check that nothing of it (attributes included) stayed behind.
        await Assertions.Expect(page.GetByText(secret)).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await Assertions.Expect(page.Row("root").First).ToBeVisibleAsync();
        Assert.DoesNotContain(secret, Factory.Logs.AllText);
    }

    [Fact]
    public async Task AServiceAccountIsMadeOnItsScreenAndAnOwnerIssuesItsToken()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "sa-admin@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);
        await page.GotoInteractiveAsync("/service-accounts");
        await page.GetByRole(AriaRole.Button, new() { Name = "New service account" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Name", Exact = true }).FillAsync("deploy bot");
        await page.ChooseAsync(page.Locator("#new-service-account-form"), "Role", PanelRoles.ReadOnly);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create service account" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "deploy bot", Level = 1 })).ToBeVisibleAsync();
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Row("sa-admin@example.test")).ToContainTextAsync("Active");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate access token", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Generate access token for deploy bot" });
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Token name", Exact = true }).FillAsync("ci");
        await page.ChooseAsync(dialog, "API", "REST API");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Days", Exact = true }).FillAsync("30");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(Code(admin));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        var field = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true });
        await Assertions.Expect(field).ToHaveValueAsync(new Regex("^atp_rest_"));
        await TokenScreenBrowser.AssertSecretAsync(BaseAddress, await field.InputValueAsync(), TokenValidationStatus.Valid);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Row("REST API")).ToContainTextAsync("ci");
    }
}

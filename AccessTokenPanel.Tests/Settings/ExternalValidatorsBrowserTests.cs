using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Tokens.Screens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Settings;

/// <summary>The external token validators editor on the Settings page, over a live circuit in Chromium.</summary>
public sealed class ExternalValidatorsBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    // The tests run in the Testing environment, where keys come over https only.
    private const string IssuerMessage = "Enter the issuer as the https URL the tokens carry in iss.";

    /// <summary>The code the administrator's app shows, of a step no earlier change (or the sign-in) used.</summary>
    private string NextCode(TestUser user)
    {
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        return user.CodeAt(Factory.Time.GetUtcNow());
    }

    [Fact]
    public async Task AnAdministratorAddsEditsAndRemovesAValidatorAndABadUrlKeepsWhatWasTyped()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);
        await GotoInteractiveAsync(page, "/settings");
        await Assertions.Expect(page.GetByText("No external token validators")).ToBeVisibleAsync();

        // A bad issuer: the Domain's message beside the field, everything typed still there, nothing
        // saved, and the code not spent (it is checked once the fields are right).
        await page.GetByRole(AriaRole.Button, new() { Name = "Add validator" }).ClickAsync();
        var add = page.GetByRole(AriaRole.Dialog, new() { Name = "Add external token validator" });
        await add.GetByLabel("Name", new() { Exact = true }).FillAsync("Corporate IdP");
        await add.GetByLabel("Issuer", new() { Exact = true }).FillAsync("login.example.com/tenant");
        await add.GetByLabel("Audience", new() { Exact = true }).FillAsync("api://access-token-panel");
        await Assertions.Expect(add.GetByRole(AriaRole.Combobox, new() { Name = "Maximum role", Exact = true })).ToBeVisibleAsync();
        await add.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(NextCode(admin));
        await add.GetByRole(AriaRole.Button, new() { Name = "Add validator" }).ClickAsync();
        await Assertions.Expect(add.GetByText(IssuerMessage)).ToBeVisibleAsync();
        await Assertions.Expect(add.GetByLabel("Issuer", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(add.GetByLabel("Issuer", new() { Exact = true })).ToHaveValueAsync("login.example.com/tenant");
        await Assertions.Expect(add.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Corporate IdP");
        await Assertions.Expect(add.GetByLabel("Audience", new() { Exact = true })).ToHaveValueAsync("api://access-token-panel");
        Assert.Equal(0, await Factory.WithDbAsync(db => db.ExternalTokenValidators.CountAsync()));

        await add.GetByLabel("Issuer", new() { Exact = true }).FillAsync("https://login.example.com/tenant");
        await Assertions.Expect(add.GetByText(IssuerMessage)).ToHaveCountAsync(0);
        await add.GetByRole(AriaRole.Button, new() { Name = "Add validator" }).ClickAsync();
        await add.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Added \"Corporate IdP\".");
        var row = page.GetByRole(AriaRole.Region, new() { Name = "External token validators" }).GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Filter(new() { HasText = "Corporate IdP" });
        await Assertions.Expect(row).ToContainTextAsync("https://login.example.com/tenant");
        await Assertions.Expect(row).ToContainTextAsync("Keys: by discovery");
        await Assertions.Expect(row).ToContainTextAsync("email");
        await Assertions.Expect(row).ToContainTextAsync("Enabled");
        await Assertions.Expect(row).ToContainTextAsync(PanelRoles.UserAdministrator);
        var saved = await Factory.WithDbAsync(db => db.ExternalTokenValidators.AsNoTracking().SingleAsync());
        Assert.Equal(("https://login.example.com/tenant", "api://access-token-panel", ExternalUserClaim.Email, true, PanelRoles.UserAdministrator),
            (saved.Issuer, saved.Audience, saved.UserClaim, saved.Enabled, saved.MaxRole));

        // Edit: the form starts from the stored values.
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Corporate IdP" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit Corporate IdP" });
        await Assertions.Expect(edit.GetByLabel("Issuer", new() { Exact = true })).ToHaveValueAsync("https://login.example.com/tenant");
        await edit.GetByLabel("JWKS URL", new() { Exact = true }).FillAsync("https://login.example.com/keys");
        await page.ChooseAsync(edit, "User claim", "sub (the user's SCIM externalId)");
        await page.ChooseAsync(edit, "Maximum role", PanelRoles.ReadOnly);
        await edit.GetByLabel("Enabled", new() { Exact = true }).UncheckAsync();
        await edit.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(NextCode(admin));
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await edit.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved \"Corporate IdP\".");

        await GotoInteractiveAsync(page, "/settings");
        await Assertions.Expect(row).ToContainTextAsync("Keys: https://login.example.com/keys");
        await Assertions.Expect(row).ToContainTextAsync("sub");
        await Assertions.Expect(row).ToContainTextAsync("Disabled");
        var edited = await Factory.WithDbAsync(db => db.ExternalTokenValidators.AsNoTracking().SingleAsync());
        Assert.Equal((saved.Id, "https://login.example.com/keys", ExternalUserClaim.Subject, false, PanelRoles.ReadOnly),
            (edited.Id, edited.JwksUrl, edited.UserClaim, edited.Enabled, edited.MaxRole));

        // Remove asks first; Cancel keeps it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Corporate IdP" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Remove external token validator" });
        await Assertions.Expect(confirm).ToContainTextAsync("Remove \"Corporate IdP\"?");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
        await confirm.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.Equal(1, await Factory.WithDbAsync(db => db.ExternalTokenValidators.CountAsync()));

        // Removing asks for the code too: without it nothing is removed and the message sits beside the field.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Corporate IdP" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await Assertions.Expect(confirm.GetByText("Enter the current 6-digit code")).ToBeVisibleAsync();
        Assert.Equal(1, await Factory.WithDbAsync(db => db.ExternalTokenValidators.CountAsync()));
        await confirm.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(NextCode(admin));
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Removed \"Corporate IdP\".");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.ExternalTokenValidators.CountAsync()));
    }
}

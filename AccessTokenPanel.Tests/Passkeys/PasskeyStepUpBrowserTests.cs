using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Tokens.Screens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Passkeys;

/// <summary>
/// "Use a passkey" as the Generate dialog's step-up, in Chromium with its virtual authenticator:
/// the browser's real assertion, verified by Identity, spent by the issuer; without a verified
/// assertion no token exists.
/// </summary>
public sealed class PasskeyStepUpBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task GenerateCreatesTheTokenWithAPasskeyInsteadOfACode()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "ada@example.test", PanelRoles.ReadOnly);
        var page = await NewLocalhostPageAsync();
        await VirtualAuthenticator.AttachAsync(page);
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        // Without a passkey the dialog offers only the code.
        var dialog = await OpenFilledGenerateDialogAsync(page, "deploy");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" })).ToHaveCountAsync(0);

        await AddPasskeyAsync(page, user);
        dialog = await OpenFilledGenerateDialogAsync(page, "deploy");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();

        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true })).ToHaveValueAsync(new Regex("^atp_"));
        Assert.Equal(["deploy"], await Factory.WithDbAsync(db => db.AccessTokens.Select(t => t.Name).ToListAsync()));
        var proofs = await Factory.WithDbAsync(db => db.PasskeyStepUps.Where(p => p.UserId == user.Id).ToListAsync());
        Assert.NotNull(Assert.Single(proofs).UsedAt);
    }

    [Fact]
    public async Task APasskeyThatDoesNotVerifyTheUserCreatesNoToken()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "grace@example.test", PanelRoles.ReadOnly);
        var page = await NewLocalhostPageAsync();
        var authenticator = await VirtualAuthenticator.AttachAsync(page);
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await AddPasskeyAsync(page, user);

        // The authenticator now answers without verifying the user (no PIN, no fingerprint).
        await authenticator.SetUserVerifiedAsync(false);
        var dialog = await OpenFilledGenerateDialogAsync(page, "deploy");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();

        var code = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true });
        await Assertions.Expect(code).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(dialog).ToContainTextAsync(new Regex("passkey", RegexOptions.IgnoreCase));
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true })).ToHaveCountAsync(0);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.AccessTokens.CountAsync()));
        Assert.Equal(0, await Factory.WithDbAsync(db => db.PasskeyStepUps.CountAsync(p => p.UsedAt != null)));

        // The code still works, and the typed fields were kept.
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Token name", Exact = true })).ToHaveValueAsync("deploy");
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await code.FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true })).ToHaveValueAsync(new Regex("^atp_"));
    }

    private async Task<ILocator> OpenFilledGenerateDialogAsync(IPage page, string name)
    {
        await page.GotoInteractiveAsync("/tokens/new");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Generate access token" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Token name", Exact = true }).FillAsync(name);
        await page.ChooseAsync(dialog, "API", "REST API");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Days", Exact = true }).FillAsync("30");
        return dialog;
    }

    private async Task AddPasskeyAsync(IPage page, TestUser user)
    {
        await page.GotoAsync("/account/passkeys");
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Added the passkey");
    }

    /// <summary>A page whose base address names the host localhost (WebAuthn refuses 127.0.0.1 as relying party id).</summary>
    private async Task<IPage> NewLocalhostPageAsync()
    {
        var context = await Chromium.NewContextAsync(new UriBuilder(BaseAddress) { Host = "localhost" }.Uri);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    public override async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}

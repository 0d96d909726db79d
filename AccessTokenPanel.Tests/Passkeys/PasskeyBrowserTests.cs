using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Passkeys;

/// <summary>
/// Passkeys end to end in Chromium with its virtual authenticator: the browser's real WebAuthn
/// ceremonies against Identity's verification. The pages are opened on <c>localhost</c>, since
/// WebAuthn refuses a bare IP address as the relying party.
/// </summary>
public sealed class PasskeyBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task AUserAddsAPasskeyWithACodeAndThenSignsInWithItAloneRenamesAndRemovesIt()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "ada@example.test", PanelRoles.ReadOnly);
        var page = await NewLocalhostPageAsync();
        var authenticator = await VirtualAuthenticator.AttachAsync(page);
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        await page.GotoAsync("/account/passkeys");
        await Assertions.Expect(page.GetByText("No passkeys yet.")).ToBeVisibleAsync();
        await page.GetByLabel("Passkey name", new() { Exact = true }).FillAsync("Work laptop");
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(NextCode(user));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Added the passkey “Work laptop”");
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Passkeys" });
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("Work laptop");
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("Never");
        Assert.Equal(1, await authenticator.CountCredentialsAsync());
        Assert.Single(await PasskeysOfAsync(user.Id));

        // Signed out, the passkey alone signs in: no password, no code step.
        await SignOutAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        await page.WaitForAddressAsync(url => !url.AbsolutePath.StartsWith("/account", StringComparison.Ordinal));

        await page.GotoAsync("/account/sessions");
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Active sessions" })).ToContainTextAsync("with a passkey");
        await page.GotoAsync("/account/passkeys");
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Nth(1)).Not.ToContainTextAsync("Never");

        await page.GetByRole(AriaRole.Link, new() { Name = "Rename Work laptop" }).ClickAsync();
        // The link is an enhanced navigation: the form appears without a page load.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rename “Work laptop”" })).ToBeVisibleAsync();
        await page.GetByLabel("Passkey name", new() { Exact = true }).FillAsync("Desk key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save name" }).ClickAsync();
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("Desk key");

        // Removing needs a code too; a wrong one keeps the passkey.
        await page.GetByRole(AriaRole.Link, new() { Name = "Remove Desk key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Remove “Desk key”" })).ToBeVisibleAsync();
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByText("That code is not right")).ToBeVisibleAsync();
        Assert.Single(await PasskeysOfAsync(user.Id));
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(NextCode(user));
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Removed the passkey “Desk key”");
        Assert.Empty(await PasskeysOfAsync(user.Id));

        // The authenticator still holds it, but the panel no longer accepts it.
        await SignOutAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That passkey did not sign you in");
        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);

        var actions = await Factory.WithDbAsync(db => db.AuditEntries.Where(e => e.SubjectId == user.Id).Select(e => e.Action + " " + e.Details).ToListAsync());
        Assert.Contains(actions, a => a.StartsWith(AuditActions.PasskeyAdded, StringComparison.Ordinal) && a.Contains("Work laptop"));
        Assert.Contains(actions, a => a.StartsWith(AuditActions.PasskeyRenamed, StringComparison.Ordinal));
        Assert.Contains(actions, a => a.StartsWith(AuditActions.PasskeyRemoved, StringComparison.Ordinal) && a.Contains("Desk key"));
        Assert.Contains(actions, a => a.StartsWith(AuditActions.SignedIn, StringComparison.Ordinal) && a.Contains("with a passkey"));
        var methods = await Factory.WithDbAsync(db => db.UserSessions.Where(s => s.UserId == user.Id && s.Stage == SessionStage.SignedIn)
            .Select(s => s.SignInMethod).ToListAsync());
        Assert.Contains(SignInMethods.Passkey, methods);
        Assert.Contains(SignInMethods.PasswordAndCode, methods);
    }

    [Fact]
    public async Task AWrongCodeAddsNoPasskeyAndKeepsTheName()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "grace@example.test", PanelRoles.ReadOnly);
        var page = await NewLocalhostPageAsync();
        await VirtualAuthenticator.AttachAsync(page);
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        await page.GotoAsync("/account/passkeys");
        await page.GetByLabel("Passkey name", new() { Exact = true }).FillAsync("Phone");
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync("123456");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();

        await Assertions.Expect(page.GetByText("That code is not right")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Passkey name", new() { Exact = true })).ToHaveValueAsync("Phone");
        Assert.Empty(await PasskeysOfAsync(user.Id));
    }

    [Fact]
    public async Task ADisabledUsersPasskeyDoesNotSignIn()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "linus@example.test", PanelRoles.ReadOnly);
        var page = await NewLocalhostPageAsync();
        await VirtualAuthenticator.AttachAsync(page);
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoAsync("/account/passkeys");
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(NextCode(user));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Added the passkey “Passkey 1”");
        await SignOutAsync(page);

        await using (var scope = Factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            stored.IsDisabled = true;
            await users.UpdateAsync(stored);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This account is disabled");
        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);
    }

    private string NextCode(TestUser user)
    {
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        return user.CodeAt(Factory.Time.GetUtcNow());
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GotoAsync("/account/sessions");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath == "/account/login");
    }

    private Task<List<IdentityUserPasskey<string>>> PasskeysOfAsync(string userId) =>
        Factory.WithDbAsync(db => db.Set<IdentityUserPasskey<string>>().Where(p => p.UserId == userId).ToListAsync());

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

using System.Text;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>
/// The access-token screens in Chromium on the live circuit, as an admin uses them: sign in,
/// generate (step-up code from oathtool), copy, use over HTTP, reload, delete with "no" then "yes".
/// </summary>
public sealed class TokenScreensBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task GenerateCopyUseReloadAndDeleteWithTypedYes()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "alice@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = BaseAddress.GetLeftPart(UriPartial.Authority) });
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        await page.GotoInteractiveAsync("/tokens");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access tokens", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("You have no access tokens yet")).ToBeVisibleAsync();
        var dialog = await FillGenerateDialogAsync(page, user, "ci deploy");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        var field = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true });
        await Assertions.Expect(field).ToHaveValueAsync(new Regex("^atp_rest_"));
        await Assertions.Expect(field).ToHaveAttributeAsync("readonly", "");
        await Assertions.Expect(dialog.GetByText("will not be shown again")).ToBeVisibleAsync();
        var secret = await field.InputValueAsync();
        await Assertions.Expect(dialog.Locator("pre")).ToHaveTextAsync($"curl -H \"Authorization: Bearer {secret}\" {BaseAddress.ToString().TrimEnd('/')}/api/v1/tokens");
        var expires = Factory.Time.GetUtcNow().UtcDateTime.AddDays(30);
        await Assertions.Expect(dialog).ToContainTextAsync($"{expires:yyyy-MM-dd} (in 30 days)");

        // Copy puts exactly the secret on the clipboard and says so.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Copied", new() { Exact = true })).ToBeVisibleAsync();
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await TokenScreenBrowser.AssertSecretAsync(BaseAddress, secret, TokenValidationStatus.Valid);

        // Closed: the row is there at once, and the secret is nowhere in the page any more.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Assertions.Expect(page.Row("ci deploy")).ToContainTextAsync("in 30 days");
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Row("ci deploy")).ToHaveCountAsync(1);
        Assert.DoesNotContain(secret, await page.ContentAsync());

        // "no" deletes nothing: the button stays disabled, and Enter is refused by the server.
        await page.Row("ci deploy").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete access token" });
        await Assertions.Expect(confirm).ToContainTextAsync("ci deploy");
        var typed = confirm.GetByRole(AriaRole.Textbox, new() { Name = "Type yes to confirm", Exact = true });
        await typed.FillAsync("no");
        await Assertions.Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true })).ToBeDisabledAsync();
        await typed.PressAsync("Enter");
        await Assertions.Expect(confirm).ToContainTextAsync("Nothing was deleted: you typed \"no\", not yes.");
        await TokenScreenBrowser.AssertSecretAsync(BaseAddress, secret, TokenValidationStatus.Valid);

        // "yes" deletes: the row changes at once and the next call is refused.
        await typed.FillAsync("yes");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("The token \"ci deploy\" was deleted.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Row("ci deploy")).ToHaveCountAsync(0);
        await TokenScreenBrowser.AssertSecretAsync(BaseAddress, secret, TokenValidationStatus.Revoked);

        await AssertSecretNeverStoredOrLoggedAsync(secret);
    }

    [Fact]
    public async Task TheGenerateDialogHasItsOwnAddressAndErrorsStayBesideTheirFields()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "direct@example.test", PanelRoles.UserAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        await page.GotoInteractiveAsync("/tokens/new");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Generate access token" });
        await Assertions.Expect(dialog).ToContainTextAsync("at most 365 days");

        // The role is asked only for the Configuration API, among the roles this user may delegate.
        await Assertions.Expect(dialog.GetByRole(AriaRole.Combobox, new() { Name = "Delegated role" })).ToHaveCountAsync(0);
        await page.ChooseAsync(dialog, "API", "Configuration API");
        await dialog.GetByRole(AriaRole.Combobox, new() { Name = "Delegated role", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option)).ToHaveTextAsync([PanelRoles.ReadOnly, PanelRoles.UserAdministrator]);
        await page.GetByRole(AriaRole.Option, new() { Name = PanelRoles.ReadOnly }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option)).ToHaveCountAsync(0);

        // An error shows beside its field as soon as it is typed, and again from the domain on Create; input is kept.
        var name = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Token name", Exact = true });
        await name.FillAsync("bookmarked");
        var days = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Days", Exact = true });
        await days.FillAsync("400");
        await Assertions.Expect(days).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(dialog).ToContainTextAsync("Tokens may live at most 365 days.");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync("123456");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Assertions.Expect(days).ToHaveValueAsync("400");
        await Assertions.Expect(name).ToHaveValueAsync("bookmarked");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true })).ToHaveValueAsync("");
        Assert.Empty(await Factory.WithDbAsync(db => db.AccessTokens.ToListAsync()));

        await dialog.GetByRole(AriaRole.Button, new() { Name = "180 days", Exact = true }).ClickAsync();
        await Assertions.Expect(days).ToHaveValueAsync("180");
        await Assertions.Expect(days).Not.ToHaveAttributeAsync("aria-invalid", "true");
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true })).ToHaveValueAsync(new Regex("^atp_cfg_"));

        // Closed: the address goes back to the list, and reloading opens no dialog.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tokens$"));
        await Assertions.Expect(page.Row("bookmarked")).ToContainTextAsync(PanelRoles.ReadOnly);
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SortingAndFilteringLiveInTheAddressAndTheBackButtonUndoesThem()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "sorter@example.test");
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "bravo", ApiType.Rest, 10);
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "alpha", ApiType.Rest, 50);
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "charlie", ApiType.Rest, 5);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoInteractiveAsync("/tokens");

        await page.GetByRole(AriaRole.Link, new() { Name = "Name" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=name&dir=asc"));
        await Assertions.Expect(page.Locator(".token-name")).ToHaveTextAsync(["alpha", "bravo", "charlie"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Name" })).ToHaveAttributeAsync("aria-sort", "ascending");
        await page.Row("charlie").GetByText("Expires soon").WaitForAsync();

        await page.ChooseAsync(page.Locator(".filters"), "Status", "Expired");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=expired"));
        await Assertions.Expect(page.GetByText("No tokens match these filters")).ToBeVisibleAsync();

        await page.GoBackAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("status="));
        await Assertions.Expect(page.Locator(".token-name")).ToHaveTextAsync(["alpha", "bravo", "charlie"]);

        // A bookmarked view opens as it was left.
        var bookmarked = await NewPageAsync();
        await BrowserSignIn.SignInAsync(bookmarked, user, Factory.Time);
        await bookmarked.GotoInteractiveAsync("/tokens?sort=expires&dir=desc");
        await Assertions.Expect(bookmarked.Locator(".token-name")).ToHaveTextAsync(["alpha", "bravo", "charlie"]);
        await bookmarked.GotoInteractiveAsync("/tokens?sort=expires&dir=asc");
        await Assertions.Expect(bookmarked.Locator(".token-name")).ToHaveTextAsync(["charlie", "bravo", "alpha"]);
    }

    [Fact]
    public async Task APolicyAdministratorFindsAnotherUsersTokenInTheInventoryAndDeletesIt()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "policy@example.test", PanelRoles.TokenPolicyAdministrator);
        var owner = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "holder@example.test");
        var bystander = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "bystander@example.test");
        await ScreenTestData.IssueAsync(Factory.Services, owner.Id, "forgotten script");
        await ScreenTestData.IssueAsync(Factory.Services, bystander.Id, "bystander script");
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);

        await page.GotoInteractiveAsync("/tokens");
        await page.GetByRole(AriaRole.Link, new() { Name = "All users' tokens" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "All access tokens" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Owner email" }).FillAsync("HOLDER@");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("owner=HOLDER%40"));
        var rows = page.Row("script");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync("holder@example.test");

        await rows.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete access token" });
        await Assertions.Expect(dialog).ToContainTextAsync("forgotten script");
        await Assertions.Expect(dialog).ToContainTextAsync("of holder@example.test");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Type yes to confirm", Exact = true }).FillAsync("yes");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByText("The token \"forgotten script\" was deleted.")).ToBeVisibleAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(0);
        Assert.Equal("/tokens/all", new Uri(page.Url).AbsolutePath);
        var tokens = await Factory.WithDbAsync(db => db.AccessTokens.ToListAsync());
        Assert.Equal(admin.Id, tokens.Single(t => t.Name == "forgotten script").RevokedById);
        Assert.Null(tokens.Single(t => t.Name == "bystander script").RevokedAt);
    }

    [Fact]
    public async Task ExchangedAccessTokensAreNoRowsButALineUnderTheirParentThatGoesWhenTheParentIsDeleted()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "oauth@example.test", PanelRoles.SuperAdministrator);
        string refresh;
        await using (var scope = Factory.Scope())
        {
            var issued = await scope.ServiceProvider.GetRequiredService<TokenIssuer>()
                .IssueAsync(new IssueTokenRequest(user.Id, "nightly sync", ApiType.Rest, null, TokenExpiry.InDays(30)));
            Assert.True(issued.Succeeded, issued.ToString());
            refresh = issued.Secret!;
        }
        // Exchanged over real HTTP at the OAuth token endpoint, as a script does.
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var access = await Api.OAuth.OAuthClient.AccessTokenAsync(http, refresh);
        await Api.OAuth.OAuthClient.AccessTokenAsync(http, refresh);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        // Signing in moves the clock on to a fresh code step: the time left is read as the page reads it.
        var latest = await Factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Kind == TokenKind.Access).MaxAsync(t => t.ExpiresAt));
        var line = $"2 access tokens, last expires {Web.Components.Shared.RelativeTime.Expiry(latest, Factory.Time.GetUtcNow().UtcDateTime)}";
        Assert.Matches(@"^2 access tokens, last expires in (59|60) minutes$", line);

        foreach (var path in new[] { "/tokens", "/tokens/all" })
        {
            await page.GotoInteractiveAsync(path);
            // The access tokens carry their parent's name: as rows they would match too.
            await Assertions.Expect(page.Row("nightly sync")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Row("nightly sync")).ToContainTextAsync(line);
            await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" })).ToContainTextAsync("1–1 of 1");
        }

        await page.GotoInteractiveAsync("/tokens");
        await page.Row("nightly sync").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete access token" });
        await confirm.GetByRole(AriaRole.Textbox, new() { Name = "Type yes to confirm", Exact = true }).FillAsync("yes");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("The token \"nightly sync\" was deleted.")).ToBeVisibleAsync();

        await page.GotoInteractiveAsync("/tokens?status=all");
        await Assertions.Expect(page.Row("nightly sync")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Row("nightly sync")).ToContainTextAsync("Revoked");
        await Assertions.Expect(page.Row("nightly sync")).Not.ToContainTextAsync("access token");
        await TokenScreenBrowser.AssertSecretAsync(BaseAddress, access, TokenValidationStatus.Revoked);
    }

    [Fact]
    public async Task AUserWithoutTheInventoryPermissionSeesOnlyTheirOwnTokens()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "solo@example.test");
        var other = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "other@example.test");
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "mine");
        await ScreenTestData.IssueAsync(Factory.Services, other.Id, "theirs");
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        await page.GotoInteractiveAsync("/tokens");
        await Assertions.Expect(page.Row("mine")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Row("theirs")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "All users' tokens" })).ToHaveCountAsync(0);

        var inventory = await page.GotoAsync("/tokens/all");
        Assert.Equal(403, inventory!.Status);
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByText("You do not have permission to see other users' tokens.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Row("theirs")).ToHaveCountAsync(0);

        // Hand-edited query strings fall back to the defaults rather than failing.
        var edited = await page.GotoAsync("/tokens?page=abc&sort=evil&dir=up&status=bogus&api=soap");
        Assert.Equal(200, edited!.Status);
        await Assertions.Expect(page.Row("mine")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task DeleteAllMyTokensWarnsAndNeedsYesToo()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "purge@example.test");
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "first");
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "second");
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoInteractiveAsync("/tokens");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete all my tokens", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete all my tokens" });
        await Assertions.Expect(dialog).ToContainTextAsync("Every one of your access tokens stops working immediately");
        var typed = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Type yes to confirm", Exact = true });
        await typed.PressAsync("Enter");
        await Assertions.Expect(dialog).ToContainTextAsync("Nothing was deleted: type yes to confirm.");
        Assert.All(await Factory.WithDbAsync(db => db.AccessTokens.ToListAsync()), t => Assert.Null(t.RevokedAt));

        await typed.FillAsync("yes");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("2 tokens were deleted.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No tokens match these filters")).ToBeVisibleAsync();
        Assert.All(await Factory.WithDbAsync(db => db.AccessTokens.ToListAsync()), t => Assert.NotNull(t.RevokedAt));
    }

    [Fact]
    public async Task AnOpenPageCannotDeleteOnceTheUserIsDisabled()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "leaver@example.test");
        var token = await ScreenTestData.IssueAsync(Factory.Services, user.Id, "still here");
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoInteractiveAsync("/tokens");
        await page.Row("still here").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete access token" });
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Type yes to confirm", Exact = true }).FillAsync("yes");

        // Disabled by an administrator while the page is open (the button is still on screen).
        await Factory.WithDbAsync(async db =>
        {
            var stored = await db.Users.SingleAsync(u => u.Id == user.Id);
            stored.IsDisabled = true;
            return await db.SaveChangesAsync();
        });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync(Web.Components.Pages.Tokens.TokenScreenActions.SignedOutMessage);

        var stored = await Factory.WithDbAsync(db => db.AccessTokens.SingleAsync(t => t.Id == token.Id));
        Assert.Null(stored.RevokedAt);
    }

    /// <summary>Opens the dialog from the list and fills it as a person would (REST API, 30 days, a fresh code).</summary>
    private async Task<ILocator> FillGenerateDialogAsync(IPage page, TestUser user, string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate access token", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Generate access token" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Token name", Exact = true }).FillAsync(name);
        await page.ChooseAsync(dialog, "API", "REST API");
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "Number of days" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Days", Exact = true }).FillAsync("30");
        // A new time step: the sign-in used the previous one, and a code works once.
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        return dialog;
    }

    private async Task AssertSecretNeverStoredOrLoggedAsync(string secret)
    {
        var needle = Encoding.UTF8.GetBytes(secret);
        foreach (var path in new[] { Factory.DatabasePath, Factory.DatabasePath + "-wal" }.Where(File.Exists))
        {
            byte[] bytes;
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                bytes = copy.ToArray();
            }
            Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"The secret was found in {Path.GetFileName(path)}");
        }
        Assert.True(File.Exists(Factory.DatabasePath));
        Assert.DoesNotContain(secret, Factory.Logs.AllText);
        // The hash is what is kept, so a check of the hint proves the token reached the database at all.
        Assert.Contains(TokenSecret.Hint(secret), await Factory.WithDbAsync(db => Task.FromResult(string.Join(",", db.AccessTokens.Select(t => t.Hint)))));
    }
}

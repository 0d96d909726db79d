using System.Net;
using System.Text;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>
/// The access-token screens in Chromium against the running app, as an admin uses them: sign in,
/// generate (step-up code from oathtool), copy, use, reload, delete with "no" then "yes".
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

        var secret = await GenerateAsync(page, user, "ci deploy");

        // Copy puts exactly the secret on the clipboard and says so.
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Copied", new() { Exact = true })).ToBeVisibleAsync();
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        await AssertSecretAsync(secret, TokenValidationStatus.Valid);

        await page.ReloadAsync();
        page = await AssertSecretGoneAsync(page, secret);

        await DeleteAndCheckAsync(page, "ci deploy", secret);
        await AssertSecretNeverStoredOrLoggedAsync(secret);
    }

    [Fact]
    public async Task TheWholeFlowWorksWithoutJavaScript()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "bob@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync(javaScriptEnabled: false);
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        var secret = await GenerateAsync(page, user, "no script");

        // Without script there is no Copy button (it could not work), but the field can be selected.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true })).ToBeHiddenAsync();
        await AssertSecretAsync(secret, TokenValidationStatus.Valid);

        // Reloading re-posts the form; the one-time code is spent, so no secret comes back.
        await page.ReloadAsync();
        page = await AssertSecretGoneAsync(page, secret);

        await DeleteAndCheckAsync(page, "no script", secret);
        await AssertSecretNeverStoredOrLoggedAsync(secret);
    }

    [Fact]
    public async Task DelegatedRoleShowsOnlyForConfigurationApiAndExpiryFieldsFollowTheChoice()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "carol@example.test", PanelRoles.UserAdministrator);
        var page = await NewPageAsync(javaScriptEnabled: false);
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoAsync("/tokens");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate access token" }).ClickAsync();

        var role = page.GetByLabel("Delegated role", new() { Exact = true });
        await Assertions.Expect(role).ToBeHiddenAsync();
        await page.GetByLabel("API", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Configuration API" });
        await Assertions.Expect(role).ToBeVisibleAsync();
        // Only roles a User Administrator holds every permission of.
        var offered = await role.Locator("option").AllTextContentsAsync();
        Assert.Equal(["Choose a role", PanelRoles.ReadOnly, PanelRoles.UserAdministrator], offered);
        await page.GetByLabel("API", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "REST API" });
        await Assertions.Expect(role).ToBeHiddenAsync();

        var days = page.GetByLabel("Days", new() { Exact = true });
        var date = page.GetByLabel("Expiration date", new() { Exact = true });
        await Assertions.Expect(days).ToBeVisibleAsync();
        await Assertions.Expect(days).ToHaveValueAsync("90");
        await Assertions.Expect(date).ToBeHiddenAsync();
        await page.GetByLabel("Specific date", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(date).ToBeVisibleAsync();
        await Assertions.Expect(days).ToBeHiddenAsync();
    }

    [Fact]
    public async Task ErrorsShowBesideTheirFieldsAndTheInputIsKeptExceptTheCode()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "dave@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoAsync("/tokens?generate=1");

        await page.GetByLabel("Token name", new() { Exact = true }).FillAsync("too long lived");
        await page.GetByLabel("API", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "SCIM API" });
        // With script, the presets fill the Days field in one click.
        await page.GetByRole(AriaRole.Button, new() { Name = "180 days", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Days", new() { Exact = true })).ToHaveValueAsync("180");
        await page.GetByLabel("Days", new() { Exact = true }).FillAsync("400");
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync("123456");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        var days = page.GetByLabel("Days", new() { Exact = true });
        await Assertions.Expect(days).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(days).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("at most 365 days"));
        await Assertions.Expect(days).ToHaveValueAsync("400");
        await Assertions.Expect(page.GetByLabel("Token name", new() { Exact = true })).ToHaveValueAsync("too long lived");
        await Assertions.Expect(page.GetByLabel("API", new() { Exact = true })).ToHaveValueAsync("Scim");
        await Assertions.Expect(page.GetByLabel("Authentication code", new() { Exact = true })).ToHaveValueAsync("");
        Assert.Empty(await Factory.WithDbAsync(db => Task.FromResult(db.AccessTokens.ToList())));
    }

    [Fact]
    public async Task APolicyAdministratorFindsAnotherUsersTokenInTheInventoryAndDeletesIt()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "policy@example.test", PanelRoles.TokenPolicyAdministrator);
        var owner = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "holder@example.test");
        var bystander = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "bystander@example.test");
        await ScreenTestData.IssueAsync(Factory.Services, owner.Id, "forgotten script");
        await ScreenTestData.IssueAsync(Factory.Services, bystander.Id, "bystander script");
        var page = await NewPageAsync(javaScriptEnabled: false);
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);

        await page.GotoAsync("/tokens");
        await page.GetByRole(AriaRole.Link, new() { Name = "All users' tokens" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "All access tokens" })).ToBeVisibleAsync();
        await page.GetByLabel("Owner email").FillAsync("HOLDER@");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        var rows = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "script" });
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync("holder@example.test");
        Assert.Contains("owner=HOLDER%40", page.Url);

        await rows.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete access token" });
        await Assertions.Expect(dialog).ToContainTextAsync("forgotten script");
        await Assertions.Expect(dialog).ToContainTextAsync("of holder@example.test");
        await dialog.GetByLabel("Type yes to confirm", new() { Exact = true }).FillAsync("yes");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByText("The token \"forgotten script\" was deleted.")).ToBeVisibleAsync();
        Assert.Equal("/tokens/all", new Uri(page.Url).AbsolutePath);
        Assert.Contains("owner=HOLDER%40", page.Url);
        await Assertions.Expect(rows).ToHaveCountAsync(0);
        var tokens = await Factory.WithDbAsync(db => Task.FromResult(db.AccessTokens.ToList()));
        Assert.Equal(admin.Id, tokens.Single(t => t.Name == "forgotten script").RevokedById);
        Assert.Null(tokens.Single(t => t.Name == "bystander script").RevokedAt);
    }

    [Fact]
    public async Task AUserWithoutTheInventoryPermissionSeesOnlyTheirOwnTokens()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "solo@example.test");
        var other = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "other@example.test");
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "mine");
        var theirs = await ScreenTestData.IssueAsync(Factory.Services, other.Id, "theirs");
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        await page.GotoAsync("/tokens");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "mine" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "theirs" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "All users' tokens" })).ToHaveCountAsync(0);

        // Guessing another user's token id in the URL opens nothing.
        await page.GotoAsync($"/tokens?delete={theirs.Id}");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        // Hand-edited query strings fall back to the defaults rather than failing.
        var edited = await page.GotoAsync("/tokens?page=abc&delete=xyz&sort=evil&dir=up&status=bogus&api=soap");
        Assert.Equal(200, edited!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "mine" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ConfirmingADeleteThatHappenedMeanwhileSaysItIsAlreadyGone()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "twice@example.test");
        var token = await ScreenTestData.IssueAsync(Factory.Services, user.Id, "deleted twice");
        var page = await NewPageAsync(javaScriptEnabled: false);
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoAsync($"/tokens?delete={token.Id}");
        await page.GetByLabel("Type yes to confirm", new() { Exact = true }).FillAsync("yes");

        // Deleted from another tab (or this form re-sent after it worked).
        await using (var scope = Factory.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<TokenRevoker>().RevokeAsync(token.Id, user.Id);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByText("The token \"deleted twice\" had already been deleted.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DeleteAllMyTokensWarnsAndNeedsYesToo()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "purge@example.test");
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "first");
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "second");
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoAsync("/tokens");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete all my tokens", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete all my tokens" });
        await Assertions.Expect(dialog).ToContainTextAsync("Every one of your access tokens stops working immediately");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Nothing was deleted: type yes to confirm.")).ToBeVisibleAsync();
        Assert.All(await Factory.WithDbAsync(db => Task.FromResult(db.AccessTokens.ToList())), t => Assert.Null(t.RevokedAt));

        await dialog.GetByLabel("Type yes to confirm", new() { Exact = true }).FillAsync("yes");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("2 tokens were deleted.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("You have no access tokens yet")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("No tokens match these filters")).ToBeVisibleAsync();
        Assert.All(await Factory.WithDbAsync(db => Task.FromResult(db.AccessTokens.ToList())), t => Assert.NotNull(t.RevokedAt));
    }

    [Fact]
    public async Task TheGenerateDialogHasItsOwnAddress()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "direct@example.test");
        var page = await NewPageAsync(javaScriptEnabled: false);
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        await page.GotoAsync("/tokens/new");
        await page.GetByLabel("Token name", new() { Exact = true }).FillAsync("bookmarked");
        await page.GetByLabel("API", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "REST API" });
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByLabel("Access token", new() { Exact = true })).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^atp_rest_"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Done" }).ClickAsync();
        Assert.Equal("/tokens", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "bookmarked" })).ToContainTextAsync("in 90 days");
    }

    /// <summary>Opens the dialog, fills it as a person would and returns the secret shown once.</summary>
    private async Task<string> GenerateAsync(IPage page, TestUser user, string name)
    {
        await page.GotoAsync("/tokens");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access tokens", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("You have no access tokens yet")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate access token", Exact = true }).ClickAsync();

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Generate access token" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Token name", new() { Exact = true }).FillAsync(name);
        await dialog.GetByLabel("API", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "REST API" });
        await dialog.GetByLabel("Number of days", new() { Exact = true }).CheckAsync();
        await dialog.GetByLabel("Days", new() { Exact = true }).FillAsync("30");
        // A new time step: the sign-in used the previous one, and a code works once.
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await dialog.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));

        var response = await page.RunAndWaitForResponseAsync(
            () => dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/tokens");
        Assert.Contains("no-store", (await response.AllHeadersAsync())["cache-control"].Split(", "));

        var field = page.GetByLabel("Access token", new() { Exact = true });
        await Assertions.Expect(field).ToBeVisibleAsync();
        await Assertions.Expect(field).ToHaveAttributeAsync("readonly", "");
        await Assertions.Expect(page.GetByText("will not be shown again")).ToBeVisibleAsync();
        var secret = await field.InputValueAsync();
        Assert.StartsWith("atp_rest_", secret);
        await Assertions.Expect(page.Locator("pre.example")).ToContainTextAsync($"curl -H \"Authorization: Bearer {secret}\" {BaseAddress.ToString().TrimEnd('/')}/api/v1/tokens");
        var expires = Factory.Time.GetUtcNow().UtcDateTime.AddDays(30);
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync($"{expires:yyyy-MM-dd} (in 30 days)");
        return secret;
    }

    private async Task DeleteAndCheckAsync(IPage page, string name, string secret)
    {
        await page.GotoAsync("/tokens");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("Active");
        await Assertions.Expect(row).ToContainTextAsync("in 30 days");

        // "no" deletes nothing and says so.
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete access token" });
        await Assertions.Expect(dialog).ToContainTextAsync(name);
        await dialog.GetByLabel("Type yes to confirm", new() { Exact = true }).FillAsync("no");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Nothing was deleted")).ToBeVisibleAsync();
        await page.GotoAsync("/tokens");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await AssertSecretAsync(secret, TokenValidationStatus.Valid);

        // "yes" deletes: gone from the default list, and refused on the next use.
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await dialog.GetByLabel("Type yes to confirm", new() { Exact = true }).FillAsync("yes");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "was deleted" })).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        Assert.Equal("/tokens", new Uri(page.Url).AbsolutePath);
        await AssertSecretAsync(secret, TokenValidationStatus.Revoked);

        // Revoked tokens stay visible on request.
        await page.GotoAsync("/tokens?status=revoked");
        await Assertions.Expect(row).ToContainTextAsync("Revoked");
    }

    /// <summary>Reload, leave and come back: the secret is never on screen again. Returns the page to go on with.</summary>
    private static async Task<IPage> AssertSecretGoneAsync(IPage page, string secret)
    {
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await page.GotoAsync("/tokens");
        Assert.DoesNotContain(secret, await page.ContentAsync());
        try
        {
            await page.GoBackAsync();
            Assert.DoesNotContain(secret, await page.ContentAsync());
            return page;
        }
        catch (PlaywrightException e) when (e.Message.Contains("ERR_CACHE_MISS", StringComparison.Ordinal))
        {
            // Back to a POST response sent with no-store: Chromium keeps no copy and shows only its
            // "confirm form resubmission" error page. Go on in a fresh tab of the same session.
            var fresh = await page.Context.NewPageAsync();
            await page.CloseAsync();
            return fresh;
        }
    }

    /// <summary>Calls the REST API with the secret over real HTTP, as a script would after copying it.</summary>
    private async Task AssertSecretAsync(string secret, TokenValidationStatus expected)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        var response = await http.GetAsync("/api/v1/tokens");
        if (expected == TokenValidationStatus.Valid)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
        Assert.Contains(new TokenValidationResult(expected).Description, challenge.Parameter);
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

using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>Rotation and allowed addresses on the access tokens screen, in Chromium on the live circuit.</summary>
public sealed class TokenRotationBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task RotateShowsTheNewSecretOnceAndTheListShowsTheOldOneRotating()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "rotating@example.test");
        var original = await ScreenTestData.IssueAsync(Factory.Services, user.Id, "ci deploy");
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoInteractiveAsync("/tokens");

        await page.Row("ci deploy").GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Rotate access token" });
        await Assertions.Expect(dialog).ToContainTextAsync("ci deploy");
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "1 day" }).CheckAsync();
        // A new time step: the sign-in used the previous one, and a code works once.
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        var rotatedAt = Factory.Time.GetUtcNow().UtcDateTime;
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();

        // The dialog keeps its accessible name (the title it was opened with) when it shows the result.
        var result = dialog;
        var field = result.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true });
        await Assertions.Expect(field).ToHaveValueAsync(new Regex("^atp_rest_"));
        await Assertions.Expect(result.GetByText("will not be shown again")).ToBeVisibleAsync();
        var validUntil = rotatedAt.AddDays(1);
        await Assertions.Expect(result.Locator("#old-secret-until")).ToContainTextAsync($"works until {validUntil:yyyy-MM-dd HH:mm} UTC (in 1 day)");
        var secret = await field.InputValueAsync();
        await TokenScreenBrowser.AssertSecretAsync(BaseAddress, secret, TokenValidationStatus.Valid);

        await result.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());

        // Both are listed during the overlap: the replacement active, the original rotating.
        await Assertions.Expect(page.Row("ci deploy")).ToHaveCountAsync(2);
        var rotating = page.Row("ci deploy").Filter(new() { HasText = "Rotating" });
        await Assertions.Expect(rotating).ToHaveCountAsync(1);
        await Assertions.Expect(rotating).ToContainTextAsync($"old secret valid until {validUntil:yyyy-MM-dd HH:mm} UTC");
        await Assertions.Expect(rotating).ToContainTextAsync(original.Hint);
        await Assertions.Expect(rotating.GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Row("ci deploy").Filter(new() { HasText = TokenSecret.Hint(secret) })).ToContainTextAsync("Active");
        var stored = await Factory.WithDbAsync(db => db.AccessTokens.SingleAsync(t => t.Id == original.Id));
        Assert.Equal(validUntil, stored.ExpiresAt);
    }

    [Fact]
    public async Task AllowedAddressesAreSetAtGenerationAndEditedFromTheRow()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "fencing@example.test");
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoInteractiveAsync("/tokens");

        await page.GetByRole(AriaRole.Button, new() { Name = "Generate access token", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Generate access token" });
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Token name", Exact = true }).FillAsync("office");
        await page.ChooseAsync(dialog, "API", "REST API");
        var addresses = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Allowed client addresses", Exact = true });
        await addresses.FillAsync("10.0.0.1/8\nexample.com");
        await Assertions.Expect(dialog).ToContainTextAsync("the network is 10.0.0.0/8");
        await Assertions.Expect(dialog).ToContainTextAsync("'example.com' is not an IP address or network");
        await addresses.FillAsync("10.0.0.0/8\n2001:db8::/32");
        await Assertions.Expect(dialog).Not.ToContainTextAsync("is not an IP address");
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        var created = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true });
        try
        {
            await Assertions.Expect(created).ToHaveValueAsync(new Regex("^atp_rest_"));
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException($"No token was created; the dialog says: {await dialog.InnerTextAsync()}", e);
        }
        await Assertions.Expect(dialog.Locator("dd.mono")).ToHaveTextAsync("10.0.0.0/8, 2001:db8::/32");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Row("office")).ToContainTextAsync("Only from 10.0.0.0/8 +1");

        await page.Row("office").GetByRole(AriaRole.Button, new() { Name = "Allowed addresses", Exact = true }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = "Allowed client addresses" });
        var field = edit.GetByRole(AriaRole.Textbox, new() { Name = "Allowed client addresses", Exact = true });
        await Assertions.Expect(field).ToHaveValueAsync("10.0.0.0/8\n2001:db8::/32");
        await field.FillAsync("300.1.1.1");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(edit).ToContainTextAsync("'300.1.1.1' is not an IP address or network");
        // 127.0.0.1 is in neither network: letting it in widens the list, which needs a current code.
        await field.FillAsync("127.0.0.1");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(edit).ToContainTextAsync("Enter the 6-digit code from your authenticator app.");
        Assert.Equal("10.0.0.0/8,2001:db8::/32", await Factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == "office").Select(t => t.AllowedAddresses).SingleAsync()));
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await edit.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("\"office\" may be used only from 127.0.0.1.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Row("office")).ToContainTextAsync("Only from 127.0.0.1");
        Assert.Equal("127.0.0.1", await Factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == "office").Select(t => t.AllowedAddresses).SingleAsync()));
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task TheRotateAndAddressDialogsFitTheWindowAndPassAxe(int width, int height)
    {
        Directory.CreateDirectory(TokenScreensLookTests.ScreenshotFolder);
        var name = $"rotate-{width}";
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, $"rita.{width}@example.test", PanelRoles.SuperAdministrator);
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, "Nightly backup", ApiType.Rest, 90);
        var fenced = await ScreenTestData.IssueAsync(Factory.Services, user.Id, "Office reporting", ApiType.Rest, 180);
        var rotated = await ScreenTestData.IssueAsync(Factory.Services, user.Id, "CI deploy", ApiType.Rest, 60);
        await using (var scope = Factory.Scope())
        {
            var editor = scope.ServiceProvider.GetRequiredService<AllowedAddressesEditor>();
            var rita = await scope.ServiceProvider.SessionAsync(user.Id, user.CodeAt(Factory.Time.GetUtcNow()));
            Assert.True((await editor.SetAsync(rita, fenced.Id, ["10.0.0.0/8", "2001:db8::/32", "203.0.113.7"])).Succeeded);
            Assert.True((await scope.ServiceProvider.GetRequiredService<TokenRotator>().RotateAsync(rita, rotated.Id, 60)).Succeeded);
        }
        var page = await NewPageAsync(true, width, height);
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);

        await page.GotoInteractiveAsync("/tokens");
        await Assertions.Expect(page.Row("CI deploy").Filter(new() { HasText = "Rotating" })).ToHaveCountAsync(1);
        await TokenScreensLookTests.CheckInBothSchemesAsync(page, $"{name}-01-list-rotating");

        await page.Row("Nightly backup").GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Rotate access token" });
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync("000000");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("That code is not right");
        await TokenScreensLookTests.CheckInBothSchemesAsync(page, $"{name}-02-rotate-wrong-code");
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Authentication code", Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true })).ToBeVisibleAsync();
        await TokenScreensLookTests.CheckInBothSchemesAsync(page, $"{name}-03-rotate-result");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        await page.Row("Office reporting").GetByRole(AriaRole.Button, new() { Name = "Allowed addresses", Exact = true }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = "Allowed client addresses" });
        await edit.GetByRole(AriaRole.Textbox, new() { Name = "Allowed client addresses", Exact = true }).FillAsync("10.0.0.1/8");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(edit).ToContainTextAsync("the network is 10.0.0.0/8");
        await TokenScreensLookTests.CheckInBothSchemesAsync(page, $"{name}-04-addresses-error");
    }
}

using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Tests.Tokens.Screens;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Localization;

/// <summary>
/// The panel in Japanese in Chromium, found by its Japanese accessible names: a browser whose
/// language is Japanese (Accept-Language: ja), the language menu, and the choice remembered in the
/// culture cookie and on the profile.
/// </summary>
public sealed class JapaneseScreensBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task AJapaneseBrowserEnrollsGeneratesCopiesListsAndDeletesByJapaneseNames()
    {
        var (email, password) = await CreateUnenrolledSuperAdministratorAsync("hanako@example.test");
        var page = await NewJapanesePageAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = BaseAddress.GetLeftPart(UriPartial.Authority) });

        // Sign in: the static account pages speak Japanese and say so.
        await page.GotoAsync("/account/login");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "サインイン", Level = 1 })).ToBeVisibleAsync();
        await AssertNoSeriousAxeFindingAsync(page, "login");
        await page.GetByLabel("メールアドレス", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("パスワード", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン", Exact = true }).ClickAsync();

        // Enrollment: the QR code, the manual key, the code, and the recovery codes.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "2 要素認証", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR コード", Exact = false })).ToBeVisibleAsync();
        await AssertNoSeriousAxeFindingAsync(page, "enroll");
        var key = (await page.Locator("#manual-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        await page.GetByLabel("確認コード", new() { Exact = true }).FillAsync(Oathtool.Totp(key, Factory.Time.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "有効にする", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("2 要素認証を有効にしました。")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "リカバリーコード" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(10);

        // トークン発行: the dialog by its Japanese names, the step-up code in a new time step.
        await page.GotoInteractiveAsync("/tokens");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "アクセストークン", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "トークン発行", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "トークン発行" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        // MudBlazor's own words come from our resources too (MudLocalizer).
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "閉じる", Exact = true })).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "トークン名", Exact = true }).FillAsync("夜間バックアップ");
        await page.ChooseAsync(dialog, "API", "REST API");
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "日数" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "日数", Exact = true }).FillAsync("12");
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "認証コード", Exact = true }).FillAsync(Oathtool.Totp(key, Factory.Time.GetUtcNow()));
        await AssertNoSeriousAxeFindingAsync(page, "generate");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "作成", Exact = true }).ClickAsync();

        // The show-once secret, copied.
        var field = dialog.GetByRole(AriaRole.Textbox, new() { Name = "アクセストークン", Exact = true });
        await Assertions.Expect(field).ToHaveValueAsync(new Regex("^atp_rest_"));
        await Assertions.Expect(dialog.GetByText("このアクセストークンは二度と表示されません", new() { Exact = false })).ToBeVisibleAsync();
        var expires = Factory.Time.GetUtcNow().UtcDateTime.AddDays(12);
        await Assertions.Expect(dialog).ToContainTextAsync($"{expires:yyyy/MM/dd}（12日後）");
        var secret = await field.InputValueAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "コピー", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("コピーしました", new() { Exact = true })).ToBeVisibleAsync();
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await TokenScreenBrowser.AssertSecretAsync(BaseAddress, secret, TokenValidationStatus.Valid);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "完了", Exact = true }).ClickAsync();

        // The list with 有効期限, and the whole page (language menu included) passes axe.
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "有効期限" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Row("夜間バックアップ")).ToContainTextAsync("12日後");
        await Assertions.Expect(page.Row("夜間バックアップ")).ToContainTextAsync("有効");
        await AssertNoSeriousAxeFindingAsync(page, "list");

        // 削除: anything but yes deletes nothing; yes and はい、削除します delete.
        await page.Row("夜間バックアップ").GetByRole(AriaRole.Button, new() { Name = "削除", Exact = true }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "アクセストークンの削除" });
        await Assertions.Expect(confirm).ToContainTextAsync("夜間バックアップ");
        var typed = confirm.GetByRole(AriaRole.Textbox, new() { Name = "確認のため yes と入力してください", Exact = true });
        var yes = confirm.GetByRole(AriaRole.Button, new() { Name = "はい、削除します", Exact = true });
        await typed.FillAsync("はい");
        await Assertions.Expect(yes).ToBeDisabledAsync();
        await typed.PressAsync("Enter");
        await Assertions.Expect(confirm).ToContainTextAsync("何も削除されていません。入力されたのは「はい」で、yes ではありません。");
        await AssertNoSeriousAxeFindingAsync(page, "delete");
        await typed.FillAsync("yes");
        await yes.ClickAsync();
        await Assertions.Expect(page.GetByText("トークン「夜間バックアップ」を削除しました。", new() { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(page.Row("夜間バックアップ")).ToHaveCountAsync(0);
        await TokenScreenBrowser.AssertSecretAsync(BaseAddress, secret, TokenValidationStatus.Revoked);
    }

    [Fact]
    public async Task TheLanguageMenuSwitchesTheLanguageWhichStaysInTheCookieAndOnTheProfile()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "taro@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        await page.GotoInteractiveAsync("/tokens");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access tokens", Level = 1 })).ToBeVisibleAsync();

        // The app bar's menu: the page loads again in Japanese, at the same address.
        await page.GetByRole(AriaRole.Button, new() { Name = "Language", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "日本語", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "アクセストークン", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tokens$"));
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "トークン発行", Exact = true })).ToBeEnabledAsync();

        // It sticks: the standard culture cookie in this browser, the profile for the others.
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == ".AspNetCore.Culture");
        Assert.Equal("c=ja|uic=ja", Uri.UnescapeDataString(cookie.Value));
        Assert.Equal("ja", await Factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PreferredLanguage).SingleAsync()));
        await page.GotoInteractiveAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "メイン" })
            .GetByRole(AriaRole.Link, new() { Name = "アクセストークン", Exact = true })).ToBeVisibleAsync();

        // Another browser, English by its own language: signed in, the profile's Japanese wins.
        var other = await NewPageAsync();
        await BrowserSignIn.SignInAsync(other, user, Factory.Time);
        await other.GotoInteractiveAsync("/tokens");
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Name = "アクセストークン", Level = 1 })).ToBeVisibleAsync();

        // And back to English from the account pages' header (a plain form, no circuit).
        await other.GotoAsync("/account/sessions");
        await other.GetByRole(AriaRole.Navigation, new() { Name = "言語" }).GetByRole(AriaRole.Button, new() { Name = "English", Exact = true }).ClickAsync();
        await Assertions.Expect(other.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await other.GotoInteractiveAsync("/tokens");
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Name = "Access tokens", Level = 1 })).ToBeVisibleAsync();
        Assert.Equal("en", await Factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PreferredLanguage).SingleAsync()));
    }

    [Fact]
    public async Task TheSettingsSectionsAndTheValidatorDialogAreInJapanese()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "jiro@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        // The language as the menu leaves it: the standard culture cookie.
        await page.Context.AddCookiesAsync([new Cookie
        {
            Name = ".AspNetCore.Culture", Value = Uri.EscapeDataString("c=ja|uic=ja"), Url = BaseAddress.GetLeftPart(UriPartial.Authority),
        }]);

        await page.GotoInteractiveAsync("/settings");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        foreach (var section in new[] { "API ごとのトークンポリシー", "外部トークン検証", "有効期限と漏えいの通知", "監査ログのストリーミング" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = section, Level = 2 })).ToBeVisibleAsync();
        }
        await AssertNoSeriousAxeFindingAsync(page, "settings");

        await page.GetByRole(AriaRole.Button, new() { Name = "検証を追加", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "外部トークン検証を追加" });
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "認証コード", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "キャンセル", Exact = true })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("en", 1280, 900)]
    [InlineData("en", 390, 844)]
    [InlineData("ja", 1280, 900)]
    [InlineData("ja", 390, 844)]
    public async Task TheTokenScreensFitTheWindowInBothLanguages(string language, int width, int height)
    {
        var ja = language == "ja";
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, $"screens.{language}.{width}@example.test", PanelRoles.SuperAdministrator);
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, ja ? "本番環境の夜間バックアップ用スクリプト" : "Nightly backup of production", ApiType.Rest, 5);
        await ScreenTestData.IssueAsync(Factory.Services, user.Id, ja ? "Okta プロビジョニング" : "Okta provisioning", ApiType.Scim, 90);
        var page = ja ? await NewJapanesePageAsync(width, height) : await NewPageAsync(width: width, height: height);
        var name = $"lang-{language}-{width}";
        Directory.CreateDirectory(TokenScreensLookTests.ScreenshotFolder);

        await page.GotoAsync("/account/login");
        await TokenScreensLookTests.CheckAsync(page, $"{name}-01-login");
        await page.GetByLabel(ja ? "メールアドレス" : "Email", new() { Exact = true }).FillAsync(user.Email);
        await page.GetByLabel(ja ? "パスワード" : "Password", new() { Exact = true }).FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = ja ? "サインイン" : "Sign in", Exact = true }).ClickAsync();
        Factory.Time.Advance(TimeSpan.FromSeconds(30));
        await page.GetByLabel(ja ? "認証コード" : "Authentication code", new() { Exact = true }).FillAsync(user.CodeAt(Factory.Time.GetUtcNow()));
        await TokenScreensLookTests.CheckAsync(page, $"{name}-02-code");
        await page.GetByRole(AriaRole.Button, new() { Name = ja ? "確認" : "Verify", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync(url => !url.AbsolutePath.StartsWith("/account/login", StringComparison.Ordinal));

        await page.GotoInteractiveAsync("/tokens");
        await TokenScreensLookTests.CheckAsync(page, $"{name}-03-list");
        await page.GetByRole(AriaRole.Button, new() { Name = ja ? "トークン発行" : "Generate access token", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = ja ? "トークン発行" : "Generate access token" });
        await page.ChooseAsync(dialog, "API", "Configuration API");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = ja ? "日数" : "Days", Exact = true }).FillAsync("400");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = ja ? "日数" : "Days", Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await TokenScreensLookTests.CheckAsync(page, $"{name}-04-generate");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        await page.Row(ja ? "Okta プロビジョニング" : "Okta provisioning").GetByRole(AriaRole.Button, new() { Name = ja ? "削除" : "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog, new() { Name = ja ? "アクセストークンの削除" : "Delete access token" })).ToBeVisibleAsync();
        await TokenScreensLookTests.CheckAsync(page, $"{name}-05-delete");
    }

    private async Task<IPage> NewJapanesePageAsync(int width = 1280, int height = 900)
    {
        // Playwright's locale is what the browser sends as Accept-Language (and navigator.language).
        var context = await Chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    private async Task<(string Email, string Password)> CreateUnenrolledSuperAdministratorAsync(string email)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = new PanelUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, CreatedAt = Factory.Time.GetUtcNow().UtcDateTime };
        Assert.True((await users.CreateAsync(user, TestUsers.DefaultPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, PanelRoles.SuperAdministrator)).Succeeded);
        return (email, TestUsers.DefaultPassword);
    }

    private static async Task AssertNoSeriousAxeFindingAsync(IPage page, string name)
    {
        await WaitForAnimationsAsync(page);
        // The snackbars are left out: MudBlazor's success snackbar (white on the theme's green) is
        // below 4.5:1 in English too, a finding of the theme, not of the language.
        var axe = await Axe.ScanAsync(page, ".mud-snackbar");
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Html))}")
            .ToList();
        Assert.True(serious.Count == 0, $"{name}: axe-core found\n{string.Join("\n", serious)}");
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

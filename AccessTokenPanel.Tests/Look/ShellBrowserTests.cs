using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Look;

/// <summary>The shell: pages outside /account run over a live circuit on MudBlazor; account pages stay static.</summary>
public sealed class ShellBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task PagesOutsideTheAccountAreaRunOverALiveCircuitWithMudBlazorStyles()
    {
        var page = await NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                errors.Add($"{response.Status} {response.Url}");
            }
        };

        await GotoInteractiveAsync(page, "/");

        var primary = page.GetByRole(AriaRole.Link, new() { Name = "Sign in" });
        Assert.Equal("rgb(36, 87, 197)", await primary.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheAccountMenuSignsOutWithAPostFromAnInteractivePage()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "admin@example.test", Domain.Permissions.PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        await BrowserSignIn.SignInAsync(page, admin, Factory.Time);
        await GotoInteractiveAsync(page, "/users");

        await page.GetByRole(AriaRole.Button, new() { Name = "Account menu for admin@example.test" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await page.WaitForAddressAsync(url => url.AbsolutePath == "/account/login");
        await page.GotoAsync("/users");
        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task AccountPagesAreStaticFormsThatStartNoCircuit()
    {
        var page = await NewPageAsync();
        var sockets = new List<string>();
        page.WebSocket += (_, socket) => sockets.Add(socket.Url);

        await page.GotoAsync("/account/login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).WaitForAsync();

        Assert.Equal(0, await page.Locator("#interactive-marker").CountAsync());
        Assert.Equal("post", await page.Locator("form").First.GetAttributeAsync("method"));
        Assert.Empty(sockets);
    }

    [Fact]
    public async Task TheThemeToggleIsRememberedAcrossPagesIncludingTheStaticOnes()
    {
        var page = await NewPageAsync(colorScheme: ColorScheme.Light);
        await GotoInteractiveAsync(page, "/");
        var background = () => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        var light = await background();

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark theme" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" }).WaitForAsync();
        var dark = await background();
        Assert.NotEqual(light, dark);

        await page.GotoAsync("/account/login");
        Assert.Equal(dark, await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.account-shell')).backgroundColor"));
        await GotoInteractiveAsync(page, "/");
        Assert.Equal(dark, await background());
    }

    [Fact]
    public async Task WithoutAChoiceTheThemeFollowsTheOperatingSystem()
    {
        var darkPage = await NewPageAsync(colorScheme: ColorScheme.Dark);
        await GotoInteractiveAsync(darkPage, "/");
        await darkPage.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" }).WaitForAsync();
        await darkPage.GotoAsync("/account/login");
        var darkAccount = await darkPage.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.account-shell')).backgroundColor");

        var lightPage = await NewPageAsync(colorScheme: ColorScheme.Light);
        await lightPage.GotoAsync("/account/login");
        var lightAccount = await lightPage.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.account-shell')).backgroundColor");

        Assert.Equal("rgb(15, 18, 22)", darkAccount);
        Assert.Equal("rgb(245, 246, 248)", lightAccount);
    }
}

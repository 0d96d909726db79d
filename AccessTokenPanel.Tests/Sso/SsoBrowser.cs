using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Sso;

/// <summary>What the single sign-on browser tests do as a person would.</summary>
internal static class SsoBrowser
{
    /// <summary>The sign-in page's button, then the provider's development login and consent pages.</summary>
    public static async Task SignInAtProviderAsync(IPage page, OpenIdProvider provider, string subject, string displayName = "Example Corp SSO")
    {
        await page.GotoAsync("/account/login");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {displayName}" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.Port == provider.Port);
        await page.Locator("input[name=login]").FillAsync(subject);
        await page.Locator("input[name=password]").FillAsync("any password");
        // Then the consent page ("Continue"), each a page of its own, until the browser is back at the panel.
        while (new Uri(page.Url).Port == provider.Port)
        {
            var leaving = new Uri(page.Url).AbsolutePath;
            await page.Locator("button[type=submit]").First.ClickAsync();
            await page.WaitForAddressAsync(url => url.Port != provider.Port || url.AbsolutePath != leaving);
        }
    }

    public static async Task SetExternalIdAsync(PanelAppFactory factory, string userId, string externalId, bool disabled = false)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        user.ExternalId = externalId;
        user.IsDisabled = disabled;
        Assert.True((await users.UpdateAsync(user)).Succeeded);
    }
}

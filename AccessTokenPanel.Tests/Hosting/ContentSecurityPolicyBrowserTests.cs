using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Hosting;

/// <summary>The Content-Security-Policy blocks nothing the panel itself needs: Chromium reports no violation on its screens.</summary>
public sealed class ContentSecurityPolicyBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task ScreensRunUnderThePolicyWithoutAViolation()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(Factory.Services, "csp@example.test", PanelRoles.SuperAdministrator);
        var page = await NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        // Also the DOM event, which reports violations the console may word differently.
        await page.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
            """);

        await BrowserSignIn.SignInAsync(page, user, Factory.Time);
        foreach (var path in new[] { "/tokens", "/users", "/settings", "/audit", "/account/two-factor" })
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            violations.AddRange(await page.EvaluateAsync<string[]>("window.__cspViolations"));
        }

        Assert.Empty(violations);
    }
}

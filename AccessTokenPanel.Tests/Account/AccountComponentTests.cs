using AccessTokenPanel.Web.Components.Account;
using AccessTokenPanel.Web.Components.Account.Pages;
using AccessTokenPanel.Web.Components.Account.Shared;
using AccessTokenPanel.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Account;

public sealed class AccountComponentTests : MudComponentTest
{
    private const string Key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    public AccountComponentTests()
    {
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgery());
    }

    [Fact]
    public void AuthenticatorQrShowsAQrImageAndTheKeyInGroupsOfFour()
    {
        var cut = Render<AuthenticatorQr>(p => p.Add(c => c.Email, "a@example.test").Add(c => c.Key, Key));

        var image = cut.Find("img");
        Assert.Contains("QR code", image.GetAttribute("alt"));
        Assert.StartsWith("data:image/png;base64,", image.GetAttribute("src"));
        Assert.Equal("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP", cut.Find("#manual-key").TextContent);
        Assert.Equal("manual-key-label", cut.Find("#manual-key").GetAttribute("aria-labelledby"));
    }

    [Fact]
    public void OtpAuthUriNamesIssuerAndAccountAndEscapesTheEmail()
    {
        Assert.Equal(
            "otpauth://totp/AccessTokenPanel:a%2Bb%40example.test?secret=" + Key + "&issuer=AccessTokenPanel&digits=6&period=30",
            AuthenticatorSetup.OtpAuthUri("a+b@example.test", Key));
    }

    [Fact]
    public void RecoveryCodeListShowsEveryCodeWithAWarning()
    {
        var codes = Enumerable.Range(0, 10).Select(i => $"code-{i}").ToList();

        var cut = Render<RecoveryCodeList>(p => p.Add(c => c.Codes, codes));

        Assert.Equal(codes, cut.FindAll("ul[aria-label='Recovery codes'] li").Select(li => li.TextContent));
        Assert.Contains("will not be shown again", cut.Find("[role=alert]").TextContent);
    }

    [Fact]
    public void SignOutFormPostsToLogoutWithItsAntiforgeryToken()
    {
        var cut = Render<SignOutForm>();

        var form = cut.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/account/logout", form.GetAttribute("action"));
        Assert.Equal("test-token", cut.Find("input[name=__RequestVerificationToken]").GetAttribute("value"));
        Assert.Equal("Sign out", cut.Find("button[type=submit]").TextContent);
    }

    [Fact]
    public void AccessDeniedExplainsAndLinksHome()
    {
        var cut = Render<AccessDenied>();

        Assert.Contains("does not allow this page", cut.Find("[role=alert]").TextContent);
        Assert.Equal("/", cut.Find("a").GetAttribute("href"));
    }

    [Theory]
    [InlineData("/users?page=2", "/users?page=2")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData(null, "/")]
    public void ReturnUrlStaysOnThisSite(string? returnUrl, string expected)
    {
        Assert.Equal(expected, AccountPaths.LocalOrHome(returnUrl));
    }

    private sealed class FixedAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
    }
}

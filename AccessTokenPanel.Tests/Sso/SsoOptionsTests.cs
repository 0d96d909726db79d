using System.ComponentModel.DataAnnotations;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Authentication.Sso;

namespace AccessTokenPanel.Tests.Sso;

public sealed class SsoOptionsTests
{
    private static List<string> Errors(SsoOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }

    [Fact]
    public void NoAuthorityMeansNoSingleSignOnAndNothingToCheck()
    {
        Assert.False(new SsoOptions().Enabled);
        Assert.Empty(Errors(new SsoOptions()));
    }

    [Theory]
    [InlineData("http://login.example.com", "https issuer URL")]
    [InlineData("login.example.com", "https issuer URL")]
    [InlineData("https://login.example.com/?tenant=1", "https issuer URL")]
    public void AnAuthorityThatIsNoHttpsUrlIsRefusedWithTheKeyNamed(string authority, string message)
    {
        var errors = Errors(new SsoOptions { Authority = authority, ClientId = "panel" });
        Assert.Contains(errors, e => e.Contains("Sso:Authority") && e.Contains(message));
    }

    [Fact]
    public void AClientIdIsRequiredAndScopesAreSingleWords()
    {
        var errors = Errors(new SsoOptions { Authority = "https://login.example.com", Scopes = ["email groups"] });
        Assert.Contains(errors, e => e.Contains("Sso:ClientId"));
        Assert.Contains(errors, e => e.Contains("Sso:Scopes"));
        Assert.Empty(Errors(new SsoOptions { Authority = "http://127.0.0.1:5000", ClientId = "panel" }));
    }

    [Fact]
    public void TheAppRefusesToStartWithAnInvalidSsoSection()
    {
        using var factory = new PanelAppFactory();
        factory.Settings["Sso:Authority"] = "http://login.example.com";
        var error = Assert.ThrowsAny<Exception>(() => factory.Services);
        Assert.Contains("Sso:Authority", error.ToString());
    }

    [Theory]
    [InlineData("Token Policy Administrator")]
    [InlineData("User Administrator")]
    [InlineData("Super Administrator")]
    public void CreatingUsersWithAnAdministratorRoleIsRefused(string role)
    {
        var errors = Errors(new SsoOptions { Authority = "https://login.example.com", ClientId = "panel", CreateUsers = true, NewUserRole = role });
        Assert.Contains(errors, e => e.Contains("Sso:NewUserRole") && e.Contains("administrator role"));
    }

    [Fact]
    public void CreatingUsersWithReadOnlyIsAllowedAndAnUnknownRoleIsRefused()
    {
        Assert.Empty(Errors(new SsoOptions { Authority = "https://login.example.com", ClientId = "panel", CreateUsers = true }));
        Assert.Contains(Errors(new SsoOptions { Authority = "https://login.example.com", ClientId = "panel", CreateUsers = true, NewUserRole = "Auditor" }),
            e => e.Contains("Sso:NewUserRole must name a role"));
    }

    [Fact]
    public void SsoOnlyNeedsABreakGlassEmailAndSingleSignOn()
    {
        Assert.Contains(Errors(new SsoOptions { Authority = "https://login.example.com", ClientId = "panel", Only = true }),
            e => e.Contains("Sso:BreakGlassEmail"));
        Assert.Contains(Errors(new SsoOptions { Only = true, BreakGlassEmail = "root@example.test" }), e => e.Contains("need single sign-on"));
        Assert.Empty(Errors(new SsoOptions { Authority = "https://login.example.com", ClientId = "panel", Only = true, BreakGlassEmail = "root@example.test" }));
    }

    [Fact]
    public void TheAppRefusesToStartWhenSsoWouldCreateAdministrators()
    {
        using var factory = new PanelAppFactory();
        factory.Settings["Sso:Authority"] = "https://login.example.com";
        factory.Settings["Sso:ClientId"] = "panel";
        factory.Settings["Sso:CreateUsers"] = "true";
        factory.Settings["Sso:NewUserRole"] = "User Administrator";
        var error = Assert.ThrowsAny<Exception>(() => factory.Services);
        Assert.Contains("Sso:NewUserRole", error.ToString());
    }
}

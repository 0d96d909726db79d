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
}

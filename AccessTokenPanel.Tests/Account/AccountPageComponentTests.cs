using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Account.Pages;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Account;

/// <summary>The sign-in pages rendered by bUnit over the app's real services: the accessible names are a contract.</summary>
public sealed class AccountPageComponentTests : BunitContext, IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync()
    {
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgery());
        Services.AddFallbackServiceProvider(_factory.Services);
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public void LoginPageHasEmailPasswordAndSignIn()
    {
        var cut = Render<Login>();

        Assert.Equal("Email", cut.Find("label[for=login-email]").TextContent);
        Assert.Equal("email", cut.Find("#login-email").GetAttribute("type"));
        Assert.Equal("Password", cut.Find("label[for=login-password]").TextContent);
        Assert.Equal("password", cut.Find("#login-password").GetAttribute("type"));
        Assert.Equal("Sign in", cut.Find("button[type=submit]").TextContent);
    }

    [Fact]
    public void SetupPageWithoutTheCodeShowsNoForm()
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        var cut = Render<Setup>(p => p.AddCascadingValue(http));

        Assert.Empty(cut.FindAll("form"));
        Assert.Contains("This setup link is not valid", cut.Markup);
        Assert.Equal(403, http.Response.StatusCode);
    }

    private sealed class FixedAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
    }
}

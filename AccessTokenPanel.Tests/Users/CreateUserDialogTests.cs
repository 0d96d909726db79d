using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Users;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AccessTokenPanel.Tests.Users;

/// <summary>The Create user dialog's rules: offered roles, messages as the user types, the domain's refusal beside its field.</summary>
public sealed class CreateUserDialogTests : MudComponentTest
{
    private readonly List<NewUser> _submitted = [];
    private UserChangeResult _answer = UserChangeResult.Ok;

    private async Task<(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Providers, IDialogReference Dialog)> OpenAsync(params PanelRole[] roles)
    {
        var providers = RenderProviders();
        var parameters = new DialogParameters<CreateUserDialog>
        {
            { d => d.Roles, roles.Length == 0 ? PanelRoles.All : roles },
            { d => d.OnCreate, user => { _submitted.Add(user); return Task.FromResult(_answer); } },
        };
        var dialog = await providers.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<CreateUserDialog>("Create user", parameters));
        providers.WaitForElement("[role=dialog]");
        return (providers, dialog);
    }

    private static void Fill(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> providers, string selector, string value) =>
        providers.Find(selector).Input(value);

    private static async Task ChooseRoleAsync(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> providers, string role)
    {
        await providers.Find(".mud-select .mud-input-control-input-container").MouseDownAsync(new());
        providers.WaitForElements("[role=option]");
        providers.FindAll("[role=option]").Single(o => o.TextContent.Trim() == role).Click();
    }

    private static void ClickCreate(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> providers) =>
        providers.FindAll("button").Single(b => b.TextContent.Trim() == "Create user").Click();

    [Fact]
    public async Task OnlyTheRolesTheActorMayGiveAreOffered()
    {
        var (providers, _) = await OpenAsync(PanelRoles.Find(PanelRoles.ReadOnly)!, PanelRoles.Find(PanelRoles.TokenPolicyAdministrator)!);

        await providers.Find(".mud-select .mud-input-control-input-container").MouseDownAsync(new());
        providers.WaitForElements("[role=option]");

        Assert.Equal([PanelRoles.ReadOnly, PanelRoles.TokenPolicyAdministrator], providers.FindAll("[role=option]").Select(o => o.TextContent.Trim()));
    }

    [Fact]
    public async Task AShortPasswordIsExplainedWhileTypingAndNothingIsSubmitted()
    {
        var (providers, _) = await OpenAsync();

        Fill(providers, "input[type=password]", "short");
        providers.WaitForAssertion(() => Assert.Contains("The password must be at least 12 characters.", providers.Markup));
        ClickCreate(providers);

        providers.WaitForAssertion(() => Assert.Contains("Enter the user's email address.", providers.Markup));
        Assert.Empty(_submitted);
    }

    [Fact]
    public async Task TheDomainsRefusalAppearsBesideItsFieldAndTheInputIsKept()
    {
        _answer = new UserChangeResult(UserChangeError.Invalid, "Email 'taken@example.test' is already taken.", "Email");
        var (providers, dialog) = await OpenAsync();

        Fill(providers, "input[type=email]", "taken@example.test");
        await ChooseRoleAsync(providers, PanelRoles.ReadOnly);
        Fill(providers, "input[type=password]", "a-long-enough-password");
        ClickCreate(providers);

        providers.WaitForAssertion(() => Assert.Single(_submitted));
        var emailField = providers.Find("input[type=email]").Closest(".mud-input-control")!;
        providers.WaitForAssertion(() => Assert.Contains("is already taken", emailField.TextContent));
        Assert.Equal("taken@example.test", providers.Find("input[type=email]").GetAttribute("value"));
        Assert.Equal(new NewUser("taken@example.test", "", PanelRoles.ReadOnly, "a-long-enough-password"), _submitted[0]);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task ASuccessfulCreateClosesTheDialogWithTheEmail()
    {
        var (providers, dialog) = await OpenAsync();

        Fill(providers, "input[type=email]", " new@example.test ");
        await ChooseRoleAsync(providers, PanelRoles.ReadOnly);
        Fill(providers, "input[type=password]", "a-long-enough-password");
        ClickCreate(providers);

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("new@example.test", result!.Data);
    }
}

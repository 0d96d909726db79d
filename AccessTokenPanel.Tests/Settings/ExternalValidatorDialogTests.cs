using System.Globalization;
using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Tokens.Screens;
using AccessTokenPanel.Web.Components.Pages.Settings;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AccessTokenPanel.Tests.Settings;

/// <summary>
/// The validator dialogs' forms, rendered with MudBlazor in bUnit; the server calls are stand-ins
/// (the rules behind them are <see cref="ExternalValidatorScreenActionsTests"/>').
/// </summary>
public sealed class ExternalValidatorDialogTests : MudDialogTest
{
    private readonly List<(ExternalTokenValidatorInput Input, string? Code)> _saved = [];
    private readonly List<string?> _removals = [];

    [Fact]
    public async Task TheDialogAsksForTheAuthenticationCodeAndTheMaximumRole()
    {
        var (providers, _) = await OpenAsync(_ => new Dictionary<string, string>());

        Assert.NotNull(InputLabelled(providers, "Authentication code"));
        Assert.Equal("one-time-code", InputLabelled(providers, "Authentication code").GetAttribute("autocomplete"));
        Assert.True(HasLabel(providers, "Maximum role"));
    }

    [Fact]
    public async Task SavingSendsTheCodeAndTheChosenMaximumRoleAndARefusedCodeStaysBesideItsField()
    {
        var answers = new Queue<IReadOnlyDictionary<string, string>>(
        [
            new Dictionary<string, string> { [ExternalValidatorScreenActions.CodeField] = "The authentication code is not valid." },
            new Dictionary<string, string>(),
        ]);
        var (providers, dialog) = await OpenAsync(_ => answers.Dequeue());
        InputLabelled(providers, "Name").Input("Corporate IdP");
        InputLabelled(providers, "Issuer").Input("https://login.example.com");
        InputLabelled(providers, "Audience").Input("api://panel");
        await ChooseAsync(providers, "Maximum role", PanelRoles.ReadOnly);
        InputLabelled(providers, "Authentication code").Input("000000");

        Button(providers, "Add validator").Click();

        providers.WaitForAssertion(() => Assert.Contains("The authentication code is not valid.",
            providers.Find(".mud-input-helper-text.mud-input-error").TextContent));
        Assert.Equal("true", InputLabelled(providers, "Authentication code").GetAttribute("aria-invalid"));
        Assert.False(dialog.Result.IsCompleted);

        InputLabelled(providers, "Authentication code").Input("123 456");
        Button(providers, "Add validator").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(result!.Canceled);
        Assert.Equal(["000000", "123 456"], _saved.Select(s => s.Code));
        Assert.All(_saved, s => Assert.Equal(PanelRoles.ReadOnly, s.Input.MaxRole));
    }

    [Fact]
    public async Task TheRemoveConfirmationAsksForTheCodeAndKeepsARefusalBesideIt()
    {
        var (providers, dialog) = await ShowAsync("Remove external token validator", new DialogParameters<RemoveValidatorDialog>
        {
            { d => d.Question, "Remove \"Corporate IdP\"?" },
            {
                d => d.Remove, code =>
                {
                    _removals.Add(code);
                    return Task.FromResult(string.IsNullOrEmpty(code)
                        ? new ValidatorRemoval(false, "Enter the current 6-digit code.", "Enter the current 6-digit code.")
                        : new ValidatorRemoval(true, "Removed \"Corporate IdP\"."));
                }
            },
        });
        Assert.Contains("Remove \"Corporate IdP\"?", providers.Find("[role=dialog]").TextContent);

        Button(providers, "Remove").Click();
        providers.WaitForAssertion(() => Assert.Contains("Enter the current 6-digit code.",
            providers.Find(".mud-input-helper-text.mud-input-error").TextContent));
        Assert.False(dialog.Result.IsCompleted);

        InputLabelled(providers, "Authentication code").Input("654321");
        Button(providers, "Remove").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new ValidatorRemoval(true, "Removed \"Corporate IdP\"."), result!.Data);
        Assert.Equal([null, "654321"], _removals);
    }

    [Fact]
    public async Task InJapaneseTheDialogIsInJapanese()
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("ja");
        try
        {
            var (providers, _) = await OpenAsync(_ => new Dictionary<string, string>());

            Assert.NotNull(InputLabelled(providers, "名前"));
            Assert.NotNull(InputLabelled(providers, "認証コード"));
            Assert.True(HasLabel(providers, "最大ロール"));
            Assert.NotNull(Button(providers, "検証を追加"));
            Assert.NotNull(Button(providers, "キャンセル"));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    private Task<(IRenderedComponent<IComponent> Providers, IDialogReference Dialog)> OpenAsync(
        Func<ExternalTokenValidatorInput, IReadOnlyDictionary<string, string>> answer) =>
        ShowAsync("Add external token validator", new DialogParameters<ExternalValidatorDialog>
        {
            { d => d.Roles, PanelRoles.All },
            {
                d => d.Save, (input, code) =>
                {
                    _saved.Add((input, code));
                    return Task.FromResult(answer(input));
                }
            },
        });

    private static async Task ChooseAsync(IRenderedComponent<IComponent> providers, string label, string option)
    {
        var labelElement = providers.FindAll("label").Single(l => l.TextContent.Trim() == label);
        await labelElement.Closest(".mud-input-control")!.QuerySelector(".mud-input-control-input-container")!.MouseDownAsync(new());
        providers.WaitForElements("[role=option]");
        providers.FindAll("[role=option]").Single(o => o.TextContent.Trim() == option).Click();
        providers.WaitForAssertion(() => Assert.Empty(providers.FindAll("[role=option]")));
    }
}

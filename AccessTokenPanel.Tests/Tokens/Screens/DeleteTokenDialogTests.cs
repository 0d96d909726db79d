using AccessTokenPanel.Web.Components.Pages.Tokens;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>The delete confirmation on MudBlazor: only exactly "yes" deletes (the server decides with <see cref="TokenDeletion"/>).</summary>
public sealed class DeleteTokenDialogTests : MudDialogTest
{
    private readonly List<string?> _confirmed = [];

    [Fact]
    public async Task TheDialogAsksToTypeYesAndNamesTheToken()
    {
        var (providers, _) = await OpenAsync();

        Assert.Contains("Delete the token \"ci deploy\"?", providers.Find("[role=dialog]").TextContent);
        Assert.Equal("Delete access token", providers.Find("[role=dialog] .mud-dialog-title").TextContent.Trim());
        Assert.NotNull(InputLabelled(providers, "Type yes to confirm"));
        Assert.True(Button(providers, "Yes, delete").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("no")]
    [InlineData("Yes")]
    [InlineData("YES")]
    [InlineData(" yes")]
    [InlineData("y")]
    public async Task TheButtonStaysDisabledForAnythingButYes(string typed)
    {
        var (providers, _) = await OpenAsync();

        InputLabelled(providers, "Type yes to confirm").Input(typed);

        providers.WaitForAssertion(() => Assert.True(Button(providers, "Yes, delete").HasAttribute("disabled")));
    }

    [Fact]
    public async Task SubmittingNoDeletesNothingAndSaysSoBesideTheField()
    {
        var (providers, dialog) = await OpenAsync();

        var field = InputLabelled(providers, "Type yes to confirm");
        field.Input("no");
        await InputLabelled(providers, "Type yes to confirm").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });

        providers.WaitForAssertion(() => Assert.Contains("Nothing was deleted: you typed \"no\", not yes.",
            providers.Find(".mud-input-helper-text.mud-input-error").TextContent));
        Assert.Equal("true", InputLabelled(providers, "Type yes to confirm").GetAttribute("aria-invalid"));
        Assert.Equal(["no"], _confirmed);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task TypingYesEnablesTheButtonAndClosesWithTheMessage()
    {
        var (providers, dialog) = await OpenAsync();

        InputLabelled(providers, "Type yes to confirm").Input("yes");
        providers.WaitForAssertion(() => Assert.False(Button(providers, "Yes, delete").HasAttribute("disabled")));
        Button(providers, "Yes, delete").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(result!.Canceled);
        Assert.Equal("The token \"ci deploy\" was deleted. It no longer works.", result.Data);
        Assert.Equal(["yes"], _confirmed);
        providers.WaitForAssertion(() => Assert.Empty(providers.FindAll("[role=dialog]")));
    }

    private Task<(Bunit.IRenderedComponent<Microsoft.AspNetCore.Components.IComponent>, IDialogReference)> OpenAsync() =>
        ShowAsync("Delete access token", new DialogParameters<DeleteTokenDialog>
        {
            { d => d.Question, "Delete the token \"ci deploy\"?" },
            {
                d => d.Confirm, typed =>
                {
                    _confirmed.Add(typed);
                    // The page's real call goes through TokenDeletion, whose rule this is (tested on a database in TokenDeletionTests).
                    return Task.FromResult(TokenDeletion.IsConfirmed(typed)
                        ? new DeletionOutcome(true, "The token \"ci deploy\" was deleted. It no longer works.")
                        : new DeletionOutcome(false, TokenDeletion.RefusalFor(typed)));
                }
            },
        });
}

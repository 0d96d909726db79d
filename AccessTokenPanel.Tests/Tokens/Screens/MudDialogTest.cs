using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>
/// The shared MudBlazor bUnit base plus what the token dialogs' tests need: opening a dialog as a
/// page does, and finding inputs and buttons by the names a person sees.
/// </summary>
public abstract class MudDialogTest : Infrastructure.MudComponentTest
{
    /// <summary>Opens a dialog as the page does and returns it with the providers that render it.</summary>
    protected async Task<(IRenderedComponent<IComponent> Providers, IDialogReference Dialog)> ShowAsync<TDialog>(
        string title, DialogParameters<TDialog> parameters) where TDialog : IComponent
    {
        var providers = RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await providers.InvokeAsync(async () => reference = await dialogs.ShowAsync<TDialog>(title, parameters));
        providers.WaitForElement("[role=dialog]");
        return (providers, reference!);
    }

    /// <summary>The input a visible label names (MudBlazor ties each label to its input with for/id).</summary>
    protected static AngleSharp.Dom.IElement InputLabelled(IRenderedComponent<IComponent> providers, string label)
    {
        var element = providers.FindAll("label").SingleOrDefault(l => l.TextContent.Trim() == label)
            ?? throw new Xunit.Sdk.XunitException($"No label \"{label}\" in: {providers.Markup}");
        return providers.Find($"#{element.GetAttribute("for")}");
    }

    protected static bool HasLabel(IRenderedComponent<IComponent> providers, string label) =>
        providers.FindAll("label").Any(l => l.TextContent.Trim() == label);

    protected static AngleSharp.Dom.IElement Button(IRenderedComponent<IComponent> providers, string name) =>
        providers.FindAll("button").Single(b => b.TextContent.Trim() == name);

}

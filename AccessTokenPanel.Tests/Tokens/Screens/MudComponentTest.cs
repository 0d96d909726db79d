using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>
/// bUnit with MudBlazor's services and providers (PLATFORM.md recipe): loose JS interop (MudBlazor
/// calls its own scripts), the popover and dialog providers rendered, async disposal for xunit 2.
/// </summary>
public abstract class MudComponentTest : BunitContext, IAsyncLifetime
{
    protected MudComponentTest()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    /// <summary>The providers a page's layout has; dialogs and select options render inside them.</summary>
    protected IRenderedComponent<IComponent> RenderProviders() => Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    });

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

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
}

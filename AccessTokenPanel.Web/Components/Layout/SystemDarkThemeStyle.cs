using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace AccessTokenPanel.Web.Components.Layout;

/// <summary>
/// MudBlazor's dark theme variables inside <c>@media (prefers-color-scheme: dark)</c>, for the static
/// account pages: without a circuit nothing can ask the browser for its colour scheme, but CSS can.
/// </summary>
public sealed class SystemDarkThemeStyle : MudThemeProvider
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        // BuildTheme gives MudBlazor's whole <style> element: keep its rules, wrap them in the media query.
        var theme = BuildTheme();
        var rules = theme[(theme.IndexOf('>') + 1)..theme.LastIndexOf("</style>", StringComparison.Ordinal)];
        builder.AddMarkupContent(0, "<style>@media (prefers-color-scheme: dark) {" + rules + "}</style>");
    }
}

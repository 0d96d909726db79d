using MudBlazor;

namespace AccessTokenPanel.Web.Components.Layout;

/// <summary>
/// The panel's MudBlazor theme, light and dark. Colours are chosen for at least 4.5:1 text contrast
/// (axe checks it); fonts are the system's, as there is no web font download here.
/// </summary>
public static class PanelTheme
{
    private static readonly string[] FontStack = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2457c5",
            PrimaryContrastText = "#ffffff",
            Secondary = "#6a3fb5",
            Tertiary = "#0f766e",
            Info = "#1f5f9e",
            Success = "#1a7f37",
            Warning = "#8a5a00",
            Error = "#b42318",
            AppbarBackground = "#1b2330",
            AppbarText = "#ffffff",
            Background = "#f5f6f8",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#1b1f24",
            TextPrimary = "#1b1f24",
            TextSecondary = "#58616e",
            ActionDefault = "#4b5563",
            LinesDefault = "#d3d8df",
            TableLines = "#e2e6eb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8fb3ff",
            PrimaryContrastText = "#0b1020",
            Secondary = "#c4a7ff",
            SecondaryContrastText = "#160b2e",
            Tertiary = "#5eead4",
            Info = "#8cc2ff",
            InfoContrastText = "#0b1020",
            Success = "#6bd991",
            SuccessContrastText = "#06210f",
            Warning = "#f2c566",
            WarningContrastText = "#241800",
            Error = "#ff8f85",
            ErrorContrastText = "#2a0805",
            AppbarBackground = "#181d24",
            AppbarText = "#e6e9ee",
            Background = "#0f1216",
            Surface = "#181d24",
            DrawerBackground = "#151a20",
            DrawerText = "#e6e9ee",
            TextPrimary = "#e6e9ee",
            TextSecondary = "#a7b0bd",
            ActionDefault = "#c3cad4",
            LinesDefault = "#323a46",
            TableLines = "#2a313b",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontStack },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}

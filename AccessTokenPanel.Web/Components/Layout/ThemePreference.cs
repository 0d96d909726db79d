namespace AccessTokenPanel.Web.Components.Layout;

/// <summary>
/// The light/dark choice a user made with the theme toggle, remembered in a cookie (no choice: follow
/// the operating system). A cookie rather than localStorage so the server renders the right theme
/// on the first paint, static account pages included.
/// </summary>
public static class ThemePreference
{
    public const string CookieName = "Panel.Theme";
    public const string CascadeName = "PanelDarkMode";

    public static bool? Read(HttpContext context) => context.Request.Cookies[CookieName] switch
    {
        "dark" => true,
        "light" => false,
        _ => null,
    };
}

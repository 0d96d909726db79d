namespace AccessTokenPanel.Web.Components.Layout;

/// <summary>The texts of the layouts, navigation, language menu, reconnect dialog and error pages (LayoutTexts.resx, LayoutTexts.ja.resx).</summary>
public sealed class LayoutTexts;

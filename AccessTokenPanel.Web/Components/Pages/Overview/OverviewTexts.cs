namespace AccessTokenPanel.Web.Components.Pages.Overview;

/// <summary>The texts of the start page and the Overview (OverviewTexts.resx, OverviewTexts.ja.resx).</summary>
public sealed class OverviewTexts;

namespace AccessTokenPanel.Web.Localization;

/// <summary>The resources of MudBlazor's own texts (keys as MudBlazor names them, e.g. <c>MudDialog_Close</c>).</summary>
public sealed class MudTexts;

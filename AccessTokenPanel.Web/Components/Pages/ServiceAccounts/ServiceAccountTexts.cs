namespace AccessTokenPanel.Web.Components.Pages.ServiceAccounts;

/// <summary>The texts of the Service accounts screens (ServiceAccountTexts.resx, ServiceAccountTexts.ja.resx).</summary>
public sealed class ServiceAccountTexts;

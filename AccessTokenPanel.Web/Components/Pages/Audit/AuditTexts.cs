namespace AccessTokenPanel.Web.Components.Pages.Audit;

/// <summary>The texts of the Audit log screen (AuditTexts.resx, AuditTexts.ja.resx). Entries' details stay as recorded.</summary>
public sealed class AuditTexts;

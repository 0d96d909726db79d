namespace AccessTokenPanel.Web.Components.Pages.Approvals;

/// <summary>The texts of the Approvals screen (ApprovalTexts.resx, ApprovalTexts.ja.resx).</summary>
public sealed class ApprovalTexts;

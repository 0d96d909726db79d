namespace AccessTokenPanel.Web.Maintenance;

/// <summary>What an operator command did, or why it refused, in a sentence for the terminal.</summary>
internal sealed record OperationResult(bool Succeeded, string Message)
{
    public static OperationResult Done(string message) => new(true, message);

    public static OperationResult Refused(string message) => new(false, message);
}

namespace AccessTokenPanel.Web.Components.Layout;

/// <summary>
/// The circuit's word that the user's notices changed (marked read on the notices page), so the
/// app bar's badge counts again at once instead of at its next refresh.
/// </summary>
public sealed class NoticeCount
{
    public event Func<Task>? Changed;

    public Task NotifyChangedAsync() => Changed?.Invoke() ?? Task.CompletedTask;
}

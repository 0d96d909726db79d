namespace AccessTokenPanel.Web.Components.Account;

/// <summary>How often an open interactive page checks that its user may still be signed in.</summary>
public sealed class CircuitRevalidationOptions
{
    public const string Section = "Circuit";

    /// <summary>The promise: a disabled or signed-out user loses an open page within this time.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(30);

    public TimeSpan RevalidationInterval { get; set; } = MaxInterval;
}

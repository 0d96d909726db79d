namespace AccessTokenPanel.Domain.ServiceAccounts;

/// <summary>
/// A person answerable for a service account: owners issue its tokens (with their own
/// authentication code), act on them as on their own, and hear what happens to them.
/// </summary>
public class ServiceAccountOwner
{
    public required string ServiceAccountId { get; set; }
    public required string UserId { get; set; }
    public DateTime AddedAt { get; set; }
}

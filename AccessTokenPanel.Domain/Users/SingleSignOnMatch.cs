using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Users;

/// <summary>Why a provider's user is not let in (the refusal page names the reason).</summary>
public enum SingleSignOnRefusal
{
    None,
    /// <summary>No panel user has the subject as externalId, nor the provider-verified email.</summary>
    NoMatch,
    Disabled,
}

/// <summary>The panel user a provider's user is, or why there is none.</summary>
public sealed record SingleSignOnMatchResult(PanelUser? User, SingleSignOnRefusal Refusal, string MatchedBy = "");

/// <summary>
/// Who a single sign-on user is on the panel: the user whose SCIM externalId is the provider's
/// subject (the provider provisions users with it), else the user with the email the provider says
/// it verified. An unverified email matches nobody: anyone can type any address at some providers.
/// Deleted users match nobody; disabled ones are refused.
/// </summary>
public sealed class SingleSignOnMatch(UserManager<PanelUser> users)
{
    public async Task<SingleSignOnMatchResult> FindAsync(string? subject, string? email, bool emailVerified, CancellationToken cancellationToken = default)
    {
        PanelUser? user = null;
        var matchedBy = "";
        if (!string.IsNullOrWhiteSpace(subject))
        {
            user = await users.Users.SingleOrDefaultAsync(u => u.ExternalId == subject && u.DeletedAt == null, cancellationToken);
            matchedBy = "subject";
        }
        if (user is null && emailVerified && !string.IsNullOrWhiteSpace(email))
        {
            user = await users.FindByEmailAsync(email);
            user = user is { DeletedAt: null } ? user : null;
            matchedBy = "verified email";
        }
        return user switch
        {
            null => new(null, SingleSignOnRefusal.NoMatch),
            { IsDisabled: true } => new(user, SingleSignOnRefusal.Disabled, matchedBy),
            _ => new(user, SingleSignOnRefusal.None, matchedBy),
        };
    }
}

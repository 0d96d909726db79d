using System.Security.Claims;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>Identity's principal plus the enrollment claim the default policy requires.</summary>
public sealed class PanelClaimsPrincipalFactory(
    UserManager<PanelUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PanelUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PanelUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (await PanelClaims.HasEnrolledAsync(UserManager, user))
        {
            identity.AddClaim(new Claim(PanelClaims.TotpEnrolled, PanelClaims.Enrolled));
        }
        return identity;
    }
}

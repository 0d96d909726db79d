using AccessTokenPanel.Domain.Permissions;
using Microsoft.AspNetCore.Authorization;

namespace AccessTokenPanel.Web.Authentication;

/// <summary>The token must carry this <see cref="Permission"/> (see <see cref="TokenClaims.Permission"/>).</summary>
public sealed record TokenPermissionRequirement(string Permission) : IAuthorizationRequirement;

internal sealed class TokenPermissionAuthorizationHandler : AuthorizationHandler<TokenPermissionRequirement>
{
    /// <summary>HttpContext.Items key under which the missing permission is left for the 403 challenge.</summary>
    public const string MissingPermissionItem = "atp:missing-permission";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TokenPermissionRequirement requirement)
    {
        if (context.User.HasClaim(TokenClaims.Permission, requirement.Permission))
        {
            context.Succeed(requirement);
        }
        else
        {
            if (context.Resource is HttpContext http)
            {
                http.Items[MissingPermissionItem] = requirement.Permission;
            }
            context.Fail(new AuthorizationFailureReason(this, $"The token does not carry the permission {requirement.Permission}."));
        }
        return Task.CompletedTask;
    }
}

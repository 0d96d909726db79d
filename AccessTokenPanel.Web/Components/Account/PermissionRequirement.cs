using System.Security.Claims;
using AccessTokenPanel.Domain.Permissions;
using Microsoft.AspNetCore.Authorization;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>The signed-in user's panel roles grant this permission (looked up per request, so a role change applies at once).</summary>
public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;

public sealed class PermissionHandler(PermissionResolver permissions) : AuthorizationHandler<PermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is not null && (await permissions.GetPermissionsAsync(userId)).Contains(requirement.Permission))
        {
            context.Succeed(requirement);
        }
    }
}

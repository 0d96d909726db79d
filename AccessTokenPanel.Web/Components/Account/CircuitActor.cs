using System.Security.Claims;
using AccessTokenPanel.Domain.Permissions;
using Microsoft.AspNetCore.Components.Authorization;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// Who is acting on an interactive page, checked at the moment of the action: every handler asks
/// this before it changes anything, because a hidden button is not security and a circuit can
/// outlive the rights of its user by up to the revalidation interval.
/// </summary>
public sealed class CircuitActor(AuthenticationStateProvider authenticationState, IServiceScopeFactory scopes)
{
    /// <summary>The acting user's id when they are still a valid, enrolled user holding <paramref name="permission"/>; otherwise null.</summary>
    public async Task<string?> RequireAsync(string permission, CancellationToken cancellationToken = default)
    {
        var principal = (await authenticationState.GetAuthenticationStateAsync()).User;
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null || !PanelClaims.IsEnrolled(principal))
        {
            return null;
        }
        // A fresh scope: the circuit's own DbContext may hold a stale copy of the user.
        await using var scope = scopes.CreateAsyncScope();
        if (!await PanelRevalidatingAuthenticationStateProvider.IsStillValidAsync(scope.ServiceProvider, principal))
        {
            return null;
        }
        var permissions = await scope.ServiceProvider.GetRequiredService<PermissionResolver>().GetPermissionsAsync(userId, cancellationToken);
        return permissions.Contains(permission) ? userId : null;
    }

    /// <summary>The signed-in user's id and current permissions, for deciding what to show (not for allowing).</summary>
    public async Task<(string? UserId, IReadOnlySet<string> Permissions)> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var principal = (await authenticationState.GetAuthenticationStateAsync()).User;
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null || !PanelClaims.IsEnrolled(principal))
        {
            return (null, new HashSet<string>());
        }
        await using var scope = scopes.CreateAsyncScope();
        return (userId, await scope.ServiceProvider.GetRequiredService<PermissionResolver>().GetPermissionsAsync(userId, cancellationToken));
    }
}

using System.Security.Claims;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// The circuit's authentication state, checked again every <see cref="CircuitRevalidationOptions.RevalidationInterval"/>
/// (the Blazor Identity template's revalidating provider). The cookie is only checked on HTTP
/// requests, and a circuit makes none: without this a disabled user would keep an open page for hours.
/// A changed security stamp (password, second factor reset, sign-out everywhere) or a disabled user
/// signs the circuit out; a changed set of permissions re-runs the page's authorization.
/// </summary>
public sealed class PanelRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<CircuitRevalidationOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private IReadOnlySet<string>? _permissions;

    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        await using var scope = scopeFactory.CreateAsyncScope();
        if (!await IsStillValidAsync(scope.ServiceProvider, principal))
        {
            return false;
        }
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var permissions = await scope.ServiceProvider.GetRequiredService<PermissionResolver>().GetPermissionsAsync(userId, cancellationToken);
        // The first comparison is against the roles in the sign-in cookie, so a change made before the first check counts too.
        _permissions ??= PanelRoles.PermissionsOf(principal.FindAll(ClaimTypes.Role).Select(c => c.Value));
        if (!_permissions.SetEquals(permissions))
        {
            // Same user, other rights: the router authorizes the open page again (a lost role loses the page).
            NotifyAuthenticationStateChanged(Task.FromResult(new AuthenticationState(principal)));
        }
        _permissions = permissions;
        return true;
    }

    /// <summary>The same test the cookie gets on every request: the user exists, is not disabled, and the stamp matches.</summary>
    internal static async Task<bool> IsStillValidAsync(IServiceProvider services, ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return false;
        }
        var signIn = services.GetRequiredService<SignInManager<PanelUser>>();
        return await signIn.ValidateSecurityStampAsync(principal) is not null;
    }
}

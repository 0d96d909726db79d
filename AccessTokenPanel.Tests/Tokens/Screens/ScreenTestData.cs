using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Tokens.Screens;

internal static class ScreenTestData
{
    /// <summary>Creates the panel roles (the app seeds them at start; a bare test database has none).</summary>
    public static async Task SeedRolesAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in PanelRoles.All)
        {
            if (!await roles.RoleExistsAsync(role.Name))
            {
                await roles.CreateAsync(new IdentityRole(role.Name));
            }
        }
    }

    public static async Task<AccessToken> IssueAsync(IServiceProvider services, string ownerId, string name, ApiType api = ApiType.Rest, int days = 30)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenIssuer>()
            .IssueAsync(new IssueTokenRequest(ownerId, name, api, null, TokenExpiry.InDays(days)));
        Assert.True(result.Succeeded, result.ToString());
        return result.Token!;
    }

    /// <summary>
    /// A short-lived access token as the OAuth token endpoint makes one (see AccessTokenExchange):
    /// the parent's child, of kind Access, expiring <paramref name="lifetime"/> from now.
    /// </summary>
    public static async Task<AccessToken> DeriveAsync(IServiceProvider services, AccessToken parent, TimeSpan lifetime)
    {
        await using var scope = services.CreateAsyncScope();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var result = await scope.ServiceProvider.GetRequiredService<TokenIssuer>().IssueAsync(new IssueTokenRequest(
            parent.OwnerId, parent.Name, parent.ApiType, parent.DelegatedRole, TokenExpiry.AtInstant(now.Add(lifetime)),
            ParentTokenId: parent.Id, Kind: TokenKind.Access));
        Assert.True(result.Succeeded, result.ToString());
        return result.Token!;
    }
}

using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>Actors for tests that act as a signed-in user through the Domain's operations.</summary>
public static class TestActors
{
    /// <summary>The user on the panel: an enrolled session with their current permissions.</summary>
    public static async Task<Actor> SessionAsync(this IServiceProvider services, string userId, string? code = null, string via = "in a test") =>
        Actor.Session(userId, await services.GetRequiredService<PermissionResolver>().GetPermissionsAsync(userId), enrolled: true,
            stepUpCode: code, via: via);

    /// <summary>Revokes as that user would on the panel; a refusal reads as <see cref="RevokeOutcome.NotFound"/>.</summary>
    public static async Task<RevokeOutcome> RevokeAsAsync(this IServiceProvider services, Guid tokenId, string userId)
    {
        var result = await services.GetRequiredService<TokenRevoker>().RevokeAsync(await services.SessionAsync(userId), tokenId);
        return result.Succeeded ? result.Value : RevokeOutcome.NotFound;
    }
}

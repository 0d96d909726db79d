using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>A user made for a test, with what a person would know: password and authenticator key.</summary>
public sealed record TestUser(string Id, string Email, string Password, string AuthenticatorKey)
{
    /// <summary>The code an authenticator app shows at that instant (computed by oathtool, not by our code).</summary>
    public string CodeAt(DateTimeOffset instant) => Oathtool.Totp(AuthenticatorKey, instant);
}

public static class TestUsers
{
    public const string DefaultPassword = "Correct-Horse-Battery-9";

    /// <summary>
    /// Creates a user with a password, the given panel roles and an enrolled authenticator, through
    /// Identity's UserManager (as enrollment would leave them).
    /// </summary>
    public static async Task<TestUser> CreateEnrolledUserAsync(
        IServiceProvider services, string email, params string[] roles)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var user = new PanelUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, CreatedAt = time.GetUtcNow().UtcDateTime };
        Check(await users.CreateAsync(user, DefaultPassword));
        if (roles.Length > 0)
        {
            Check(await users.AddToRolesAsync(user, roles));
        }
        Check(await users.ResetAuthenticatorKeyAsync(user));
        var key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key.");
        Check(await users.SetTwoFactorEnabledAsync(user, true));
        return new TestUser(user.Id, email, DefaultPassword, key);
    }

    private static void Check(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Code}: {e.Description}")));
}

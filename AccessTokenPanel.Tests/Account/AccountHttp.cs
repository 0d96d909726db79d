using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Account;

/// <summary>The account pages driven over HTTP without JavaScript (FormClient), for the tests in this folder.</summary>
internal static partial class AccountHttp
{
    public static Dictionary<string, string> Field(string name, string value) => new() { [name] = value };

    public static Task<HttpResponseMessage> PasswordStepAsync(FormClient client, string email, string password) =>
        client.SubmitAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    public static Task<HttpResponseMessage> CodeStepAsync(FormClient client, string code) =>
        client.SubmitAsync("/account/login/two-factor", Field("Input.Code", code));

    /// <summary>Password and a fresh code (the clock moves a step first); asserts success.</summary>
    public static async Task SignInAsync(FormClient client, TestUser user, FakeTimeProvider time)
    {
        var password = await PasswordStepAsync(client, user.Email, user.Password);
        Assert.Equal("/account/login/two-factor", FormClient.LocationOf(password));
        time.Advance(TimeSpan.FromSeconds(30));
        var code = await CodeStepAsync(client, user.CodeAt(time.GetUtcNow()));
        Assert.True(code.StatusCode == HttpStatusCode.Redirect, await code.Content.ReadAsStringAsync());
    }

    /// <summary>A user with a password and a role but no authenticator, as an administrator creates them.</summary>
    public static async Task<PanelUser> CreateUnenrolledUserAsync(PanelAppFactory factory, string email, string role = PanelRoles.ReadOnly)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = new PanelUser { UserName = email, Email = email, DisplayName = email };
        Assert.True((await users.CreateAsync(user, TestUsers.DefaultPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user;
    }

    /// <summary>Ten fresh recovery codes for the user, as enrollment shows them.</summary>
    public static async Task<string[]> RecoveryCodesAsync(PanelAppFactory factory, string userId)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        return (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(userId))!, 10))!.ToArray();
    }

    public static async Task<PanelUser> FindAsync(PanelAppFactory factory, string email)
    {
        await using var scope = factory.Scope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>().FindByEmailAsync(email))!;
    }

    /// <summary>The setup URL (path and query) the app logged at start.</summary>
    public static string SetupPathFromLog(PanelAppFactory factory)
    {
        var match = SetupUrl().Match(factory.Logs.AllText);
        Assert.True(match.Success, "No setup URL in the log:\n" + factory.Logs.AllText);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"Warning [^\n]*(/account/setup\?code=[A-Za-z0-9_-]+)")]
    private static partial Regex SetupUrl();
}

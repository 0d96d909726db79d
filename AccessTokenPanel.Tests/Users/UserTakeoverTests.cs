using System.Net;
using System.Net.Http.Json;
using System.Text;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Account;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Users;

/// <summary>
/// The audit's take-over: a User Administrator must not change a Super Administrator (or anyone who
/// holds permissions they lack) through any surface: the Users page, the Configuration API or SCIM.
/// </summary>
public class UserTakeoverTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private static int _sequence;

    private static string Unique(string name) => $"{name}-{Interlocked.Increment(ref _sequence)}@example.com";

    private async Task<(TestUser Attacker, TestUser Victim)> UsersAsync()
    {
        var attacker = await TestUsers.CreateEnrolledUserAsync(factory.Services, Unique("user-admin"), PanelRoles.UserAdministrator);
        var victim = await TestUsers.CreateEnrolledUserAsync(factory.Services, Unique("super-admin"), PanelRoles.SuperAdministrator);
        return (attacker, victim);
    }

    private async Task<(string PasswordHash, string Stamp, bool Disabled, bool TwoFactor, int Roles)> SnapshotAsync(string userId) =>
        await factory.WithDbAsync(async db =>
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
            var roles = await db.UserRoles.CountAsync(r => r.UserId == userId);
            return (user.PasswordHash!, user.SecurityStamp!, user.IsDisabled, user.TwoFactorEnabled, roles);
        });

    public static TheoryData<string> ConfigurationAttacks() =>
        ["POST disable", "PATCH password", "PATCH email", "DELETE", "POST reset-2fa", "DELETE role"];

    [Theory]
    [MemberData(nameof(ConfigurationAttacks))]
    public async Task AUserAdministratorsConfigurationTokenCannotChangeASuperAdministrator(string attack)
    {
        var (attacker, victim) = await UsersAsync();
        var client = factory.ClientWith(await factory.IssueTokenAsync(attacker.Id, ApiType.Configuration, PanelRoles.UserAdministrator));
        var before = await SnapshotAsync(victim.Id);
        var url = $"/api/config/v1/users/{victim.Id}";

        var response = attack switch
        {
            "POST disable" => await client.PostAsync($"{url}/disable", null),
            "PATCH password" => await client.PatchAsJsonAsync(url, new { password = "Attacker-Chosen-Password-1" }),
            "PATCH email" => await client.PatchAsJsonAsync(url, new { email = Unique("attacker-mailbox") }),
            "DELETE" => await client.DeleteAsync(url),
            "POST reset-2fa" => await client.PostAsync($"{url}/reset-2fa", null),
            _ => await client.DeleteAsync($"{url}/roles/{Uri.EscapeDataString(PanelRoles.SuperAdministrator)}"),
        };

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await SnapshotAsync(victim.Id));
    }

    public static TheoryData<string> ScimAttacks() => ["PATCH password", "PATCH active", "PUT", "DELETE", "remove from group"];

    [Theory]
    [MemberData(nameof(ScimAttacks))]
    public async Task AUserAdministratorsScimTokenCannotChangeASuperAdministrator(string attack)
    {
        var (attacker, victim) = await UsersAsync();
        var client = factory.ClientWith(await factory.IssueTokenAsync(attacker.Id, ApiType.Scim));
        var before = await SnapshotAsync(victim.Id);
        var url = $"/scim/v2/Users/{victim.Id}";

        var response = attack switch
        {
            "PATCH password" => await client.SendAsync(Scim(HttpMethod.Patch, url,
                """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"password","value":"Attacker-Chosen-Password-1"}]}""")),
            "PATCH active" => await client.SendAsync(Scim(HttpMethod.Patch, url,
                """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")),
            "PUT" => await client.SendAsync(Scim(HttpMethod.Put, url,
                $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{victim.Email}}","password":"Attacker-Chosen-Password-1","active":true}""")),
            "DELETE" => await client.DeleteAsync(url),
            _ => await RemoveFromUserAdministratorsAsync(client, victim.Id),
        };

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("urn:ietf:params:scim:api:messages:2.0:Error", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await SnapshotAsync(victim.Id));
    }

    [Fact]
    public async Task TheUsersPageRefusesTheSameChanges()
    {
        var (attacker, victim) = await UsersAsync();
        await using var scope = factory.Scope();
        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var before = await SnapshotAsync(victim.Id);

        Assert.Equal(UserChangeError.OutrankedTarget, (await administration.DisableAsync(attacker.Id, victim.Id)).Error);
        Assert.Equal(UserChangeError.OutrankedTarget, (await administration.ResetSecondFactorAsync(attacker.Id, victim.Id)).Error);
        Assert.Equal(before, await SnapshotAsync(victim.Id));
    }

    [Fact]
    public async Task APasswordSetThroughScimEndsTheUsersSessionsAndKeepsTheirSecondFactor()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(factory.Services, Unique("scim-owner"), PanelRoles.SuperAdministrator);
        var target = await TestUsers.CreateEnrolledUserAsync(factory.Services, Unique("target"), PanelRoles.ReadOnly);
        var before = await SnapshotAsync(target.Id);
        var client = factory.ClientWith(await factory.IssueTokenAsync(admin.Id, ApiType.Scim));

        var response = await client.SendAsync(Scim(HttpMethod.Patch, $"/scim/v2/Users/{target.Id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"password","value":"A-New-Password-From-The-IdP"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await SnapshotAsync(target.Id);
        Assert.NotEqual(before.PasswordHash, after.PasswordHash);
        Assert.NotEqual(before.Stamp, after.Stamp);
        Assert.True(after.TwoFactor);
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = (await users.FindByIdAsync(target.Id))!;
        Assert.Equal(target.AuthenticatorKey, await users.GetAuthenticatorKeyAsync(user));
        // Over HTTP the password alone leads only to the code step, never into the panel.
        using var browser = new FormClient(factory);
        var signIn = await AccountHttp.PasswordStepAsync(browser, target.Email, "A-New-Password-From-The-IdP");
        Assert.Equal("/account/login/two-factor", FormClient.LocationOf(signIn));
    }

    [Fact]
    public async Task AScimCreateThatFailsOnADuplicateUserNameLeavesNothingBehind()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(factory.Services, Unique("scim-create"), PanelRoles.SuperAdministrator);
        var existing = await TestUsers.CreateEnrolledUserAsync(factory.Services, Unique("existing"), PanelRoles.ReadOnly);
        var client = factory.ClientWith(await factory.IssueTokenAsync(admin.Id, ApiType.Scim));
        var otherEmail = Unique("second-mailbox");
        var count = await factory.WithDbAsync(db => db.Users.CountAsync());

        var response = await client.SendAsync(Scim(HttpMethod.Post, "/scim/v2/Users",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{existing.Email}}","emails":[{"value":"{{otherEmail}}","primary":true}],"active":true}"""));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("uniqueness", await response.Content.ReadAsStringAsync());
        Assert.Equal(count, await factory.WithDbAsync(db => db.Users.CountAsync()));
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == otherEmail)));
    }

    [Fact]
    public async Task AUserDeletedThroughScimIsGoneForScimKeptDisabledForThePanelAndCanBeProvisionedAgain()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(factory.Services, Unique("scim-delete"), PanelRoles.SuperAdministrator);
        var leaver = await TestUsers.CreateEnrolledUserAsync(factory.Services, Unique("leaver"), PanelRoles.ReadOnly);
        var leaversToken = await factory.IssueTokenAsync(leaver.Id, ApiType.Rest);
        var client = factory.ClientWith(await factory.IssueTokenAsync(admin.Id, ApiType.Scim));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/scim/v2/Users/{leaver.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/scim/v2/Users/{leaver.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/scim/v2/Users/{leaver.Id}")).StatusCode);
        var filtered = await client.GetStringAsync($"/scim/v2/Users?filter={Uri.EscapeDataString($"userName eq \"{leaver.Email}\"")}");
        Assert.Contains("\"totalResults\":0", filtered);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(leaversToken).GetAsync("/api/v1/tokens")).StatusCode);
        var kept = await factory.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == leaver.Id));
        Assert.True(kept.IsDisabled);
        Assert.NotNull(kept.DeletedAt);
        Assert.Contains(leaver.Email, kept.DisplayName);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.UserDeleted && e.SubjectId == leaver.Id)));
        Assert.True(await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == leaver.Id).AllAsync(t => t.RevokedAt != null)));

        var again = await client.SendAsync(Scim(HttpMethod.Post, "/scim/v2/Users",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{leaver.Email}}","active":true}"""));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Theory]
    [InlineData("email", 257)]
    [InlineData("displayName", 201)]
    public async Task LengthsTheDatabaseEnforcesAreRefusedFirst(string field, int length)
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(factory.Services, Unique("lengths"), PanelRoles.SuperAdministrator);
        var client = factory.ClientWith(await factory.IssueTokenAsync(admin.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));
        var email = field == "email" ? new string('a', length - "@example.com".Length) + "@example.com" : Unique("long-name");
        var displayName = field == "displayName" ? new string('n', length) : "Fine";

        var response = await client.PostAsJsonAsync("/api/config/v1/users", new { email, displayName });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    private static async Task<HttpResponseMessage> RemoveFromUserAdministratorsAsync(HttpClient client, string userId)
    {
        var groups = await client.GetStringAsync($"/scim/v2/Groups?filter={Uri.EscapeDataString($"displayName eq \"{PanelRoles.SuperAdministrator}\"")}");
        var groupId = System.Text.Json.JsonDocument.Parse(groups).RootElement.GetProperty("Resources")[0].GetProperty("id").GetString();
        return await client.SendAsync(Scim(HttpMethod.Patch, $"/scim/v2/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"{{userId}}\"]"}]}"""));
    }

    private static HttpRequestMessage Scim(HttpMethod method, string url, string json) =>
        new(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/scim+json") };
}

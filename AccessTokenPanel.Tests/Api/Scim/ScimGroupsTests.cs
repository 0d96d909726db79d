using System.Net;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api.Scim;

public class ScimGroupsTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private async Task<string> GroupIdAsync(ScimTestClient scim, string role)
    {
        var list = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get,
            "/scim/v2/Groups?filter=" + Uri.EscapeDataString($"displayName eq \"{role}\"")));
        Assert.Equal(1, (int)list["totalResults"]!);
        return (string)list["Resources"]![0]!["id"]!;
    }

    private Task<bool> IsInRoleAsync(string userId, string role) => factory.WithDbAsync(db =>
        (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId && r.Name == role select ur).AnyAsync());

    [Fact]
    public async Task GroupsAreThePanelRolesWithTheirMembers()
    {
        var scim = await ScimTestClient.CreateAsync(factory, "groups-owner@example.com");
        var reader = await TestUsers.CreateEnrolledUserAsync(factory.Services, "reader-member@example.com", PanelRoles.ReadOnly);

        var groups = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Groups"));
        var readOnly = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Groups/{await GroupIdAsync(scim, PanelRoles.ReadOnly)}"));
        var withoutMembers = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Groups?excludedAttributes=members"));

        Assert.Equal(PanelRoles.All.Select(r => r.Name), groups["Resources"]!.AsArray().Select(g => (string?)g!["displayName"]));
        Assert.Contains(readOnly["members"]!.AsArray(), m => (string?)m!["value"] == reader.Id);
        Assert.All(withoutMembers["Resources"]!.AsArray(), g => Assert.Null(g!["members"]));
    }

    [Fact]
    public async Task PatchAddsAndRemovesMembers()
    {
        var scim = await ScimTestClient.CreateAsync(factory, "groups-patcher@example.com");
        var person = await TestUsers.CreateEnrolledUserAsync(factory.Services, "to-promote@example.com");
        var groupId = await GroupIdAsync(scim, PanelRoles.UserAdministrator);

        var add = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{person.Id}}"}]}]}""");
        var added = await IsInRoleAsync(person.Id, PanelRoles.UserAdministrator);
        var remove = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"{{person.Id}}\"]"}]}""");

        Assert.Equal(HttpStatusCode.NoContent, add.StatusCode);
        Assert.True(added);
        Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        Assert.False(await IsInRoleAsync(person.Id, PanelRoles.UserAdministrator));
    }

    [Fact]
    public async Task OwnerCannotHandOutARoleTheyDoNotHold()
    {
        var scim = await ScimTestClient.CreateAsync(factory, "groups-user-admin@example.com", PanelRoles.UserAdministrator);
        var person = await TestUsers.CreateEnrolledUserAsync(factory.Services, "would-be-super@example.com");
        var groupId = await GroupIdAsync(scim, PanelRoles.SuperAdministrator);

        var response = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Groups/{groupId}",
            $$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{person.Id}}"}]}]}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await IsInRoleAsync(person.Id, PanelRoles.SuperAdministrator));
    }

    [Fact]
    public async Task GroupsCannotBeCreatedOrRenamed()
    {
        var scim = await ScimTestClient.CreateAsync(factory, "groups-creator@example.com");
        var groupId = await GroupIdAsync(scim, PanelRoles.ReadOnly);

        var create = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Groups", new { displayName = "Admins" });
        var rename = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Groups/{groupId}",
            """{"Operations":[{"op":"replace","value":{"displayName":"Readers"}}]}""");

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, rename.StatusCode);
        Assert.Equal("mutability", (string?)(await ScimTestClient.ReadAsync(rename))["scimType"]);
    }

    [Fact]
    public async Task PatchSettingItsCurrentDisplayNameIsAcceptedLikePut()
    {
        var scim = await ScimTestClient.CreateAsync(factory, "groups-same-name@example.com");
        var groupId = await GroupIdAsync(scim, PanelRoles.ReadOnly);

        var withPath = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"{{PanelRoles.ReadOnly}}"}]}""");
        var withoutPath = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Groups/{groupId}",
            $$$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"displayName":"{{{PanelRoles.ReadOnly}}}"}}]}""");
        var rename = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Groups/{groupId}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Renamed"}]}""");

        Assert.True(withPath.IsSuccessStatusCode, $"{(int)withPath.StatusCode}");
        Assert.True(withoutPath.IsSuccessStatusCode, $"{(int)withoutPath.StatusCode}");
        Assert.Equal(HttpStatusCode.BadRequest, rename.StatusCode);
        Assert.Equal("mutability", (string?)(await ScimTestClient.ReadAsync(rename))["scimType"]);
    }

    /// <summary>A Read Only member the caller may change, and one who also holds Super Administrator, which a User Administrator may not.</summary>
    private async Task<(ScimTestClient Scim, string GroupId, string Ordinary, string Outranking)> ReadOnlyGroupWithAnOutrankingMemberAsync(string tag)
    {
        var scim = await ScimTestClient.CreateAsync(factory, $"{tag}-owner@example.com", PanelRoles.UserAdministrator);
        var ordinary = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{tag}-reader@example.com", PanelRoles.ReadOnly);
        var outranking = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{tag}-super@example.com",
            PanelRoles.ReadOnly, PanelRoles.SuperAdministrator);
        return (scim, await GroupIdAsync(scim, PanelRoles.ReadOnly), ordinary.Id, outranking.Id);
    }

    [Fact]
    public async Task GroupPatchThatIsRefusedChangesNothing()
    {
        var (scim, groupId, ordinary, outranking) = await ReadOnlyGroupWithAnOutrankingMemberAsync("refused-patch");

        // The member the caller may remove comes first: refusing the second must not leave the first removed.
        var response = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members","value":[{"value":"{{ordinary}}"},{"value":"{{outranking}}"}]}]}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(await IsInRoleAsync(ordinary, PanelRoles.ReadOnly));
        Assert.True(await IsInRoleAsync(outranking, PanelRoles.ReadOnly));
        Assert.False(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.SubjectId == ordinary && e.Details.Contains("removed from role"))));
    }

    private Task<List<string>> MemberIdsAsync(string role) => factory.WithDbAsync(db =>
        (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where r.Name == role orderby ur.UserId select ur.UserId).ToListAsync());

    [Fact]
    public async Task GroupPutThatIsRefusedChangesNothing()
    {
        var (scim, groupId, ordinary, outranking) = await ReadOnlyGroupWithAnOutrankingMemberAsync("refused-put");
        var newcomer = await TestUsers.CreateEnrolledUserAsync(factory.Services, "refused-put-newcomer@example.com");
        var outsider = await TestUsers.CreateEnrolledUserAsync(factory.Services, "refused-put-outsider@example.com", PanelRoles.SuperAdministrator);
        var before = await MemberIdsAsync(PanelRoles.ReadOnly);

        // Members not listed are removed and the newcomer added before the outsider, who outranks the caller, is refused.
        var response = await scim.SendAsync(HttpMethod.Put, $"/scim/v2/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"{{PanelRoles.ReadOnly}}","members":[{"value":"{{ordinary}}"},{"value":"{{outranking}}"},{"value":"{{newcomer.Id}}"},{"value":"{{outsider.Id}}"}]}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await MemberIdsAsync(PanelRoles.ReadOnly));
        Assert.False(await IsInRoleAsync(newcomer.Id, PanelRoles.ReadOnly));
    }

    [Fact]
    public async Task GroupPatchWithABadLaterOperationChangesNothing()
    {
        var scim = await ScimTestClient.CreateAsync(factory, "bad-later-op-owner@example.com");
        var person = await TestUsers.CreateEnrolledUserAsync(factory.Services, "bad-later-op@example.com");
        var groupId = await GroupIdAsync(scim, PanelRoles.ReadOnly);

        var response = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{person.Id}}"}]},{"op":"move","path":"members"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await IsInRoleAsync(person.Id, PanelRoles.ReadOnly));
    }
}

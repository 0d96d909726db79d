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
}

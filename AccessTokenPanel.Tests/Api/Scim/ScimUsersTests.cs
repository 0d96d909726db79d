using System.Net;
using System.Text.Json.Nodes;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api.Scim;

public class ScimUsersTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private Task<ScimTestClient> ClientAsync(string ownerEmail) => ScimTestClient.CreateAsync(factory, ownerEmail);

    private static async Task<JsonObject> AssertScimErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? scimType)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(ScimTestClient.ContentType, response.Content.Headers.ContentType?.MediaType);
        var error = await ScimTestClient.ReadAsync(response);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", (string?)error["schemas"]![0]);
        Assert.Equal(((int)status).ToString(), (string?)error["status"]);
        Assert.Equal(scimType, (string?)error["scimType"]);
        Assert.False(string.IsNullOrEmpty((string?)error["detail"]));
        return error;
    }

    [Fact]
    public async Task CreatedUserCanBeFoundByUserNameAndExternalId()
    {
        var scim = await ClientAsync("scim-owner-create@example.com");
        var createdAt = factory.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        var created = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser("ada@example.com", "okta-00u1"));
        var user = await ScimTestClient.ReadAsync(created);
        var byUserName = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq \"ADA@example.com\"")));
        var byExternalId = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?filter=" + Uri.EscapeDataString("externalId eq \"okta-00u1\"")));
        var none = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq \"nobody@example.com\"")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(ScimTestClient.ContentType, created.Content.Headers.ContentType?.MediaType);
        var id = (string)user["id"]!;
        Assert.Equal($"http://localhost/scim/v2/Users/{id}", created.Headers.Location?.ToString());
        Assert.Equal("ada@example.com", (string?)user["userName"]);
        Assert.Equal("Ada Lovelace", (string?)user["displayName"]);
        Assert.Equal("okta-00u1", (string?)user["externalId"]);
        Assert.True((bool)user["active"]!);
        Assert.Equal("User", (string?)user["meta"]!["resourceType"]);
        Assert.Equal(createdAt, (string?)user["meta"]!["created"]);
        Assert.Equal(created.Headers.Location?.ToString(), (string?)user["meta"]!["location"]);
        foreach (var list in new[] { byUserName, byExternalId })
        {
            Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", (string?)list["schemas"]![0]);
            Assert.Equal(1, (int)list["totalResults"]!);
            Assert.Equal(id, (string?)list["Resources"]![0]!["id"]);
        }
        Assert.Equal(0, (int)none["totalResults"]!);
        Assert.Empty(none["Resources"]!.AsArray());
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.UserCreated && e.SubjectId == id && e.Details.Contains("SCIM"))));
    }

    [Fact]
    public async Task DuplicateUserNameIsAUniquenessError()
    {
        var scim = await ClientAsync("scim-owner-dup@example.com");
        await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser("dup@example.com"));

        var again = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser("dup@example.com"));

        await AssertScimErrorAsync(again, HttpStatusCode.Conflict, "uniqueness");
    }

    [Fact]
    public async Task ExternalIdHeldByAnotherUserIsAUniquenessError()
    {
        var scim = await ClientAsync("scim-owner-external-id@example.com");
        var holder = (string)(await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users",
            ScimTestClient.NewUser("external-id-holder@example.com", "idp-held"))))["id"]!;
        var other = (string)(await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users",
            ScimTestClient.NewUser("external-id-other@example.com"))))["id"]!;

        var create = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser("external-id-copy@example.com", "idp-held"));
        var patch = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{other}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"externalId","value":" idp-held "}]}""");
        var put = await scim.SendAsync(HttpMethod.Put, $"/scim/v2/Users/{other}", ScimTestClient.NewUser("external-id-other@example.com", "idp-held"));
        var keep = await scim.SendAsync(HttpMethod.Put, $"/scim/v2/Users/{holder}", ScimTestClient.NewUser("external-id-holder@example.com", "idp-held"));

        Assert.Contains("externalId", (string?)(await AssertScimErrorAsync(create, HttpStatusCode.Conflict, "uniqueness"))["detail"]);
        await AssertScimErrorAsync(patch, HttpStatusCode.Conflict, "uniqueness");
        await AssertScimErrorAsync(put, HttpStatusCode.Conflict, "uniqueness");
        Assert.Equal(HttpStatusCode.OK, keep.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "external-id-copy@example.com")));
        Assert.Equal([holder], await factory.WithDbAsync(db => db.Users.Where(u => u.ExternalId == "idp-held").Select(u => u.Id).ToListAsync()));
    }

    [Fact]
    public async Task ConcurrentCreatesWithOneExternalIdMakeOneUserAndConflicts()
    {
        var scim = await ClientAsync("scim-owner-external-id-race@example.com");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser($"external-id-race-{i}@example.com", "idp-race"))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await AssertScimErrorAsync(refused, HttpStatusCode.Conflict, "uniqueness");
        }
        Assert.Equal(1, await factory.WithDbAsync(db => db.Users.CountAsync(u => u.ExternalId == "idp-race")));
    }

    [Fact]
    public async Task ValueTheDatabaseCannotStoreIsABadRequestNotAnOutage()
    {
        var scim = await ClientAsync("scim-owner-nul-value@example.com");

        var response = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users",
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"nul-value@example.com","displayName":"Ada\u0000Lovelace"}""");

        // SQLite text holds U+0000; PostgreSQL refuses it (22021), which is the request's fault, not an unreachable database.
        if (factory.Provider == DatabaseProvider.PostgreSql)
        {
            var error = await AssertScimErrorAsync(response, HttpStatusCode.BadRequest, "invalidValue");
            Assert.Contains("\\u0000", (string?)error["detail"]);
            Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "nul-value@example.com")));
        }
        else
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    [Fact]
    public async Task ListPagesWithStartIndexAndCount()
    {
        var scim = await ClientAsync("scim-owner-paging@example.com");
        for (var i = 0; i < 5; i++)
        {
            factory.Time.Advance(TimeSpan.FromSeconds(1));
            await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser($"page{i}@example.com"));
        }
        var all = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?startIndex=1&count=1000"));
        var total = (int)all["totalResults"]!;

        var page = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?startIndex=2&count=2"));
        var countOnly = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?count=0"));

        Assert.Equal(total, all["Resources"]!.AsArray().Count);
        Assert.Equal(total, (int)page["totalResults"]!);
        Assert.Equal(2, (int)page["startIndex"]!);
        Assert.Equal(2, (int)page["itemsPerPage"]!);
        Assert.Equal(
            all["Resources"]!.AsArray().Skip(1).Take(2).Select(u => (string?)u!["id"]),
            page["Resources"]!.AsArray().Select(u => (string?)u!["id"]));
        Assert.Equal(total, (int)countOnly["totalResults"]!);
        Assert.Empty(countOnly["Resources"]!.AsArray());
    }

    [Fact]
    public async Task PutReplacesTheUser()
    {
        var scim = await ClientAsync("scim-owner-put@example.com");
        var id = (string)(await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser("put@example.com", "ext-1"))))["id"]!;

        var replaced = await scim.SendAsync(HttpMethod.Put, $"/scim/v2/Users/{id}", new
        {
            schemas = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" },
            userName = "put-renamed@example.com",
            displayName = "Renamed",
            externalId = "ext-2",
            emails = new[] { new { value = "put-renamed@example.com", primary = true } },
            active = false,
        });
        var user = await ScimTestClient.ReadAsync(replaced);

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("put-renamed@example.com", (string?)user["userName"]);
        Assert.Equal("Renamed", (string?)user["displayName"]);
        Assert.Equal("ext-2", (string?)user["externalId"]);
        Assert.False((bool)user["active"]!);
        var stored = await factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == id));
        Assert.True(stored.IsDisabled);
        Assert.Equal("put-renamed@example.com", stored.Email);
    }

    [Theory]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""")]
    public async Task PatchActiveFalseDisablesTheUserAndStopsTheirTokens(string patch)
    {
        var scim = await ClientAsync($"scim-owner-patch-{Guid.NewGuid():N}@example.com");
        var person = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"deprovisioned-{Guid.NewGuid():N}@example.com");
        var personToken = factory.ClientWith(await factory.IssueTokenAsync(person.Id, ApiType.Rest));
        Assert.Equal(HttpStatusCode.OK, (await personToken.GetAsync("/api/v1/tokens")).StatusCode);

        var response = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{person.Id}", patch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((bool)(await ScimTestClient.ReadAsync(response))["active"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await personToken.GetAsync("/api/v1/tokens")).StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.UserDisabled && e.SubjectId == person.Id)));
    }

    [Fact]
    public async Task PatchChangesNameEmailAndExternalIdAndReactivates()
    {
        var scim = await ClientAsync("scim-owner-patch-fields@example.com");
        var id = (string)(await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users",
            ScimTestClient.NewUser("fields@example.com", "x1", active: false))))["id"]!;

        var response = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{id}", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"replace","path":"displayName","value":"Grace Hopper"},
              {"op":"replace","path":"emails[type eq \"work\"].value","value":"grace@example.com"},
              {"op":"remove","path":"externalId"},
              {"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Navy"},
              {"op":"replace","path":"active","value":true}
            ]}
            """);
        var user = await ScimTestClient.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Grace Hopper", (string?)user["displayName"]);
        Assert.Equal("grace@example.com", (string?)user["emails"]![0]!["value"]);
        Assert.Null(user["externalId"]);
        Assert.True((bool)user["active"]!);
    }

    [Fact]
    public async Task DeleteMakesTheUserGoneForScimAndKeepsTheDisabledRecord()
    {
        var scim = await ClientAsync("scim-owner-delete@example.com");
        var id = (string)(await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser("leaver@example.com"))))["id"]!;

        var deleted = await scim.SendAsync(HttpMethod.Delete, $"/scim/v2/Users/{id}");
        var after = await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.True((await factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == id))).IsDisabled);
    }

    [Fact]
    public async Task ErrorsUseTheScimErrorFormat()
    {
        var scim = await ClientAsync("scim-owner-errors@example.com");

        await AssertScimErrorAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users/no-such-id"), HttpStatusCode.NotFound, null);
        await AssertScimErrorAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq \"a\" and")),
            HttpStatusCode.BadRequest, "invalidFilter");
        await AssertScimErrorAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?filter=" + Uri.EscapeDataString("title eq \"x\"")),
            HttpStatusCode.BadRequest, "invalidFilter");
        await AssertScimErrorAsync(await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", "{\"userName\": "), HttpStatusCode.BadRequest, "invalidSyntax");
        await AssertScimErrorAsync(await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", new { displayName = "No user name" }),
            HttpStatusCode.BadRequest, "invalidValue");
        await AssertScimErrorAsync(await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", "userName=x", "text/plain"),
            HttpStatusCode.UnsupportedMediaType, null);
        var person = await TestUsers.CreateEnrolledUserAsync(factory.Services, "patch-errors@example.com");
        await AssertScimErrorAsync(await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{person.Id}", new { Operations = "nope" }),
            HttpStatusCode.BadRequest, "invalidSyntax");
        await AssertScimErrorAsync(await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{person.Id}",
            """{"Operations":[{"op":"replace","path":"active","value":"maybe"}]}"""), HttpStatusCode.BadRequest, "invalidValue");
        await AssertScimErrorAsync(await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{person.Id}",
            """{"Operations":[{"op":"remove"}]}"""), HttpStatusCode.BadRequest, "noTarget");
        await AssertScimErrorAsync(await factory.ClientWith(null).GetAsync("/scim/v2/Users"), HttpStatusCode.Unauthorized, null);
    }

    [Fact]
    public async Task PlainJsonIsAcceptedToo()
    {
        var scim = await ClientAsync("scim-owner-json@example.com");

        var created = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser("json@example.com"), "application/json");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task OwnerWithoutUserManagementCannotUseScim()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "scim-owner-weak@example.com", PanelRoles.UserAdministrator);
        var secret = await factory.IssueTokenAsync(owner.Id, ApiType.Scim);
        await factory.WithDbAsync(async db =>
        {
            var roleIds = await db.UserRoles.Where(r => r.UserId == owner.Id).ToListAsync();
            db.UserRoles.RemoveRange(roleIds);
            return await db.SaveChangesAsync();
        });

        var response = await factory.ClientWith(secret).GetAsync("/scim/v2/Users");

        await AssertScimErrorAsync(response, HttpStatusCode.Forbidden, null);
    }

    [Fact]
    public async Task DiscoveryEndpointsDescribeTheService()
    {
        var scim = await ClientAsync("scim-owner-discovery@example.com");

        var config = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/ServiceProviderConfig"));
        var types = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/ResourceTypes"));
        var schemas = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Schemas"));
        var userSchema = await scim.SendAsync(HttpMethod.Get, "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");

        Assert.True((bool)config["patch"]!["supported"]!);
        Assert.Equal("oauthbearertoken", (string?)config["authenticationSchemes"]![0]!["type"]);
        Assert.Equal(["User", "Group"], types["Resources"]!.AsArray().Select(t => (string?)t!["id"]));
        Assert.Equal(2, (int)schemas["totalResults"]!);
        Assert.Equal(HttpStatusCode.OK, userSchema.StatusCode);
    }
}

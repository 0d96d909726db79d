using System.Net;
using System.Text.Json.Nodes;

namespace AccessTokenPanel.Tests.Api.Scim;

/// <summary>name.givenName, name.familyName and name.formatted are stored apart from displayName and returned.</summary>
public class ScimNameTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private static void AssertName(JsonNode user, string? given, string? family, string formatted, string displayName)
    {
        Assert.Equal(given, (string?)user["name"]!["givenName"]);
        Assert.Equal(family, (string?)user["name"]!["familyName"]);
        Assert.Equal(formatted, (string?)user["name"]!["formatted"]);
        Assert.Equal(displayName, (string?)user["displayName"]);
    }

    [Fact]
    public async Task NamePartsAreStoredAndReturnedThroughCreatePatchAndPut()
    {
        var scim = await ScimTestClient.CreateAsync(factory, "names-owner@example.com");
        var created = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", new
        {
            schemas = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" },
            userName = "kim@example.com",
            displayName = "Kim (Ops)",
            name = new { givenName = "Kim", familyName = "Akers", formatted = "Ms. Kim Akers" },
        }));
        var id = (string)created["id"]!;
        AssertName(created, "Kim", "Akers", "Ms. Kim Akers", "Kim (Ops)");

        // With paths, as Entra sends them.
        var withPaths = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{id}",
            $$"""{"schemas":["{{PatchOp}}"],"Operations":[{"op":"replace","path":"name.givenName","value":"Kimberly"},{"op":"Replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:name.familyName","value":"Akers-Ray"}]}""");
        Assert.Equal(HttpStatusCode.OK, withPaths.StatusCode);
        AssertName(await ScimTestClient.ReadAsync(withPaths), "Kimberly", "Akers-Ray", "Ms. Kim Akers", "Kim (Ops)");

        // Without a path: several attributes at once, name as a complex value.
        var withoutPath = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{id}",
            $$$$"""{"schemas":["{{{{PatchOp}}}}"],"Operations":[{"op":"replace","value":{"name.formatted":"Kimberly Akers-Ray","displayName":"Kim","name":{"familyName":"Ray"}}}]}""");
        Assert.Equal(HttpStatusCode.OK, withoutPath.StatusCode);
        AssertName(await ScimTestClient.ReadAsync(withoutPath), "Kimberly", "Ray", "Kimberly Akers-Ray", "Kim");

        var stored = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users, u => u.Id == id));
        Assert.Equal(("Kimberly", "Ray", "Kimberly Akers-Ray", "Kim"), (stored.GivenName, stored.FamilyName, stored.FormattedName, stored.DisplayName));

        var removed = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{id}",
            $$"""{"schemas":["{{PatchOp}}"],"Operations":[{"op":"remove","path":"name.familyName"}]}""");
        AssertName(await ScimTestClient.ReadAsync(removed), "Kimberly", null, "Kimberly Akers-Ray", "Kim");

        var replaced = await scim.SendAsync(HttpMethod.Put, $"/scim/v2/Users/{id}", new
        {
            schemas = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" },
            userName = "kim@example.com",
            name = new { givenName = "K", familyName = "A" },
        });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var fetched = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users/{id}"));
        AssertName(fetched, "K", "A", "K A", "K A");
        var found = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get,
            "/scim/v2/Users?filter=" + Uri.EscapeDataString("name.givenName eq \"K\" and name.familyName sw \"A\"")));
        Assert.Equal(id, (string?)found["Resources"]![0]!["id"]);
    }

    [Fact]
    public async Task TooLongNamePartIsAnInvalidValue()
    {
        var scim = await ScimTestClient.CreateAsync(factory, "names-long@example.com");

        var response = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", new
        {
            schemas = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" },
            userName = "long-name@example.com",
            name = new { givenName = new string('g', 201) },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalidValue", (string?)(await ScimTestClient.ReadAsync(response))["scimType"]);
    }
}

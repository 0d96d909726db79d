using System.Net;
using System.Text.Json.Nodes;
using AccessTokenPanel.Domain.Permissions;

namespace AccessTokenPanel.Tests.Api.Scim;

/// <summary>Filters (RFC 7644 3.4.2.2) and attribute selection (3.9) as identity providers send them.</summary>
public class ScimQueryTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private static int _sequence;

    private async Task<(ScimTestClient Scim, string Tag)> ClientWithUsersAsync()
    {
        var tag = $"q{Interlocked.Increment(ref _sequence)}";
        var scim = await ScimTestClient.CreateAsync(factory, $"{tag}-owner@example.com");
        foreach (var (name, externalId, active) in new[] { ("ada", $"{tag}-ext-ada", true), ("grace", $"{tag}-ext-grace", true), ("alan", (string?)null, false) })
        {
            factory.Time.Advance(TimeSpan.FromMinutes(1));
            var created = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", ScimTestClient.NewUser($"{tag}-{name}@example.com", externalId, active));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        return (scim, tag);
    }

    private static async Task<List<string>> UserNamesAsync(ScimTestClient scim, string filter)
    {
        var response = await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?count=200&filter=" + Uri.EscapeDataString(filter));
        var body = await ScimTestClient.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{filter}: {body}");
        return body["Resources"]!.AsArray().Select(r => (string)r!["userName"]!).Order().ToList();
    }

    [Fact]
    public async Task FiltersCombineComparisonsAndValuePaths()
    {
        var (scim, tag) = await ClientWithUsersAsync();
        string[] Users(params string[] names) => names.Select(n => $"{tag}-{n}@example.com").Order().ToArray();

        Assert.Equal(Users("ada"), await UserNamesAsync(scim, $"emails[type eq \"work\"].value eq \"{tag}-ADA@example.com\""));
        Assert.Equal(Users("ada"), await UserNamesAsync(scim, $"emails[type eq \"work\" and value co \"{tag}-ad\"]"));
        Assert.Empty(await UserNamesAsync(scim, $"emails[type eq \"home\"].value eq \"{tag}-ada@example.com\""));
        Assert.Equal(Users("ada", "alan"), await UserNamesAsync(scim, $"userName sw \"{tag}-a\""));
        Assert.Equal(Users("ada", "alan", "grace"), await UserNamesAsync(scim, $"userName co \"{tag}-\" and userName ew \"@EXAMPLE.COM\" and not (userName eq \"{tag}-owner@example.com\")"));
        Assert.Equal(Users("ada", "grace"), await UserNamesAsync(scim, $"userName sw \"{tag}-\" and externalId pr"));
        Assert.Equal(Users("alan", "grace"), await UserNamesAsync(scim, $"userName eq \"{tag}-grace@example.com\" or (userName sw \"{tag}-\" and active eq false)"));
    }

    [Fact]
    public async Task MetaLastModifiedFiltersByTheInstantTheRepresentationShows()
    {
        var (scim, tag) = await ClientWithUsersAsync();
        var ada = (await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get,
            "/scim/v2/Users?filter=" + Uri.EscapeDataString($"userName eq \"{tag}-ada@example.com\""))))["Resources"]![0]!;
        var id = (string)ada["id"]!;
        factory.Time.Advance(TimeSpan.FromHours(1));
        var changedAt = factory.Time.GetUtcNow().UtcDateTime;
        var patched = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Countess"}]}""");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var lastModified = (string)(await ScimTestClient.ReadAsync(patched))["meta"]!["lastModified"]!;
        var before = changedAt.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        Assert.Equal([$"{tag}-ada@example.com"], await UserNamesAsync(scim, $"userName sw \"{tag}-\" and meta.lastModified gt \"{before}\""));
        Assert.Equal([$"{tag}-ada@example.com"], await UserNamesAsync(scim, $"userName sw \"{tag}-\" and meta.lastModified ge \"{lastModified}\""));
        // The three others (and the token's owner, also named {tag}-) were last changed before.
        Assert.Equal(4, (await UserNamesAsync(scim, $"userName sw \"{tag}-\" and meta.lastModified le \"{lastModified}\"")).Count);
        Assert.DoesNotContain($"{tag}-ada@example.com", await UserNamesAsync(scim, $"userName sw \"{tag}-\" and meta.lastModified lt \"{before}\""));
        Assert.Equal(3, (await UserNamesAsync(scim, $"userName sw \"{tag}-\" and meta.lastModified lt \"{before}\"")).Count);
    }

    [Theory]
    [InlineData("userName regex \"a\"")]
    [InlineData("title eq \"x\"")]
    [InlineData("userName eq \"a\" and")]
    [InlineData("(userName eq \"a\"")]
    [InlineData("active gt true")]
    [InlineData("meta.lastModified gt \"yesterday\"")]
    [InlineData("userName eq \"\\ud800\"")]
    [InlineData("userName eq \"\\u0000\"")]
    [InlineData("displayName co \"a\\u0000b\"")]
    [InlineData("emails[type eq \"work\"")]
    public async Task UnsupportedOrBrokenFiltersAreInvalidFilterErrors(string filter)
    {
        var scim = await ScimTestClient.CreateAsync(factory, $"q{Interlocked.Increment(ref _sequence)}-bad@example.com");

        var response = await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ScimTestClient.ReadAsync(response);
        Assert.Equal("invalidFilter", (string?)error["scimType"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["detail"]));
    }

    [Fact]
    public async Task GroupsUseTheSameFilters()
    {
        var scim = await ScimTestClient.CreateAsync(factory, $"q{Interlocked.Increment(ref _sequence)}-groups@example.com");

        var list = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get,
            "/scim/v2/Groups?filter=" + Uri.EscapeDataString($"displayName eq \"{PanelRoles.ReadOnly.ToLowerInvariant()}\" or externalId co \"x\"")));

        Assert.Equal(1, (int)list["totalResults"]!);
        Assert.Equal(PanelRoles.ReadOnly, (string?)list["Resources"]![0]!["displayName"]);
    }

    [Fact]
    public async Task AttributesAndExcludedAttributesShapeUsersAndGroups()
    {
        var (scim, tag) = await ClientWithUsersAsync();
        var filter = "&filter=" + Uri.EscapeDataString($"userName eq \"{tag}-ada@example.com\"");

        var only = (JsonObject)(await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get,
            "/scim/v2/Users?attributes=userName,emails.value,urn:ietf:params:scim:schemas:core:2.0:User:active" + filter)))["Resources"]![0]!;
        var id = (string)only["id"]!;
        var without = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users/{id}?excludedAttributes=groups,meta,emails.type,id"));
        var single = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users/{id}?attributes=displayName"));
        var groups = await ScimTestClient.ReadAsync(await scim.SendAsync(HttpMethod.Get, "/scim/v2/Groups?attributes=displayName"));

        Assert.Equal(["schemas", "id", "userName", "emails", "active"], only.Select(p => p.Key));
        Assert.Equal(["value"], only["emails"]![0]!.AsObject().Select(p => p.Key));
        Assert.Null(without["groups"]);
        Assert.Null(without["meta"]);
        Assert.Equal(id, (string?)without["id"]);
        Assert.Null(without["emails"]![0]!["type"]);
        Assert.NotNull(without["emails"]![0]!["value"]);
        Assert.NotNull(without["userName"]);
        Assert.Equal(["schemas", "id", "displayName"], single.Select(p => p.Key));
        Assert.All(groups["Resources"]!.AsArray(), g => Assert.Equal(["schemas", "id", "displayName"], g!.AsObject().Select(p => p.Key)));
    }
}

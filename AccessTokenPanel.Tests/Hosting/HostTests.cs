using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Hosting;

public class HostTests(PanelAppFactory factory) : IClassFixture<PanelAppFactory>
{
    [Fact]
    public async Task HealthEndpointReportsTheDatabase()
    {
        var response = await factory.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task StartUpMigratesTheDatabaseFileAndSeedsRolesAndSettings()
    {
        // Not the class's app: that one starts from the run's migrated template, this one from no file at all.
        await using var fresh = new PanelAppFactory { StartFromMigratedTemplate = false };
        Assert.False(File.Exists(fresh.DatabasePath));
        fresh.CreateClient();
        Assert.True(File.Exists(fresh.DatabasePath));

        var roles = await fresh.WithDbAsync(db => db.Roles.Select(r => r.Name).ToListAsync());
        Assert.Equal(PanelRoles.All.Select(r => r.Name).Order(), roles.Order());
        Assert.Equal(1, await fresh.WithDbAsync(db => db.Settings.CountAsync()));
        Assert.Empty(await fresh.WithDbAsync(db => db.Database.GetPendingMigrationsAsync()));
    }

    [Fact]
    public async Task StartUpOnTheMigratedTemplateSeedsRolesAndSettings()
    {
        factory.CreateClient();
        Assert.True(File.Exists(factory.DatabasePath));

        var roles = await factory.WithDbAsync(db => db.Roles.Select(r => r.Name).ToListAsync());
        Assert.Equal(PanelRoles.All.Select(r => r.Name).Order(), roles.Order());
        Assert.Equal(1, await factory.WithDbAsync(db => db.Settings.CountAsync()));
        Assert.Empty(await factory.WithDbAsync(db => db.Database.GetPendingMigrationsAsync()));
    }

    [Fact]
    public async Task UnknownPathIsAProblemDetails404()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/thing");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, body.RootElement.GetProperty("status").GetInt32());
    }
}

public class SqliteDataSourceTests
{
    [Fact]
    public void RelativeDataSourceLandsUnderTheContentRootInAFolderThatExists()
    {
        var root = Directory.CreateTempSubdirectory("atp-root-").FullName;
        try
        {
            var resolved = DatabaseSetup.ResolveSqliteDataSource("Data Source=data/panel.db", root);

            Assert.Contains(Path.Combine(root, "data", "panel.db"), resolved);
            Assert.True(Directory.Exists(Path.Combine(root, "data")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void InMemoryDataSourceIsLeftAlone()
    {
        Assert.Equal("Data Source=:memory:", DatabaseSetup.ResolveSqliteDataSource("Data Source=:memory:", "/nowhere"));
    }
}

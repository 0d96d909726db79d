using System.Net;
using System.Text.Json;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Hosting;

/// <summary>
/// Faults made the way an operator or another process makes them, from outside the app: unlike
/// <see cref="DatabaseFaultTests"/>, nothing here clears the app's connection pool, so idle pooled
/// connections still hold the old file open, as they do in production. Before readiness opened a
/// connection of its own, <c>/healthz</c> answered 200 in all three cases (and a revoke "succeeded"
/// into the renamed or overwritten file).
/// </summary>
public class ReadinessTests : IAsyncLifetime
{
    private readonly FaultyDatabaseAppFactory _factory = new();
    private HttpClient _rest = null!;
    private Guid _otherTokenId;

    public async Task InitializeAsync()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "ready@example.com", PanelRoles.SuperAdministrator);
        _rest = _factory.ClientWith(await _factory.IssueTokenAsync(owner.Id, ApiType.Rest));
        await _factory.IssueTokenAsync(owner.Id, ApiType.Scim, name: "other");
        _otherTokenId = await _factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == "other").Select(t => t.Id).SingleAsync());
        // Warm the pools (EF's and the bearer check's kept-open statements) as traffic would.
        Assert.Equal(HttpStatusCode.OK, (await _rest.GetAsync("/api/v1/tokens")).StatusCode);
        await AssertReadyAsync();
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task LivenessAsksNothingOfTheDatabase()
    {
        var (status, body) = await GetAsync("/healthz/live");

        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Empty(json.RootElement.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task WriteLockHeldByAnotherProcessMakesThePanelNotReadyAtOnceAndReadyWhenReleased()
    {
        await using (var locker = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _factory.File, Pooling = false }.ToString()))
        {
            await locker.OpenAsync();
            await using var command = locker.CreateCommand();
            command.CommandText = "BEGIN EXCLUSIVE;";
            await command.ExecuteNonQueryAsync();

            await AssertNotReadyButAliveAsync("locked for writing");
            // What readiness stands for: a change waits for the lock, then gives up.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _rest.DeleteAsync($"/api/v1/tokens/{_otherTokenId}")).StatusCode);
        }

        await AssertReadyAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _rest.DeleteAsync($"/api/v1/tokens/{_otherTokenId}")).StatusCode);
    }

    [Fact]
    public async Task RenamedDataFolderMakesThePanelNotReadyAtOnceAndReadyWhenItIsBack()
    {
        var aside = _factory.Folder + "-renamed";
        Directory.Move(_factory.Folder, aside);
        try
        {
            await AssertNotReadyButAliveAsync("not found");
            // The probe also makes the app drop its connections to the moved file: the APIs now
            // refuse instead of revoking into a file nobody will find.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _rest.DeleteAsync($"/api/v1/tokens/{_otherTokenId}")).StatusCode);
        }
        finally
        {
            Directory.Move(aside, _factory.Folder);
        }

        await AssertReadyAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _rest.DeleteAsync($"/api/v1/tokens/{_otherTokenId}")).StatusCode);
    }

    [Fact]
    public async Task GarbageOverTheDatabaseFileMakesThePanelNotReadyAtOnce()
    {
        var length = new FileInfo(_factory.File).Length;
        // In place (same inode): the pooled connections' open handles see the garbage too.
        await using (var file = new FileStream(_factory.File, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            await file.WriteAsync(Enumerable.Repeat((byte)'x', (int)length).ToArray());
        }

        // Only readiness is asserted: the write-ahead log still holds the recent pages (page 1 among
        // them), so even a fresh connection of the app can go on reading and writing those.
        await AssertNotReadyButAliveAsync("not a SQLite database");
    }

    [Fact]
    public async Task AMigrationNotAppliedMakesThePanelNotReady()
    {
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _factory.File, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // As if the database were restored from an older version's backup while this version ran.
            command.CommandText = "DELETE FROM __EFMigrationsHistory WHERE MigrationId = (SELECT max(MigrationId) FROM __EFMigrationsHistory);";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await AssertNotReadyButAliveAsync("1 migration(s) not applied");
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        var response = await _factory.CreateClient().GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task AssertReadyAsync()
    {
        foreach (var path in new[] { "/healthz/live", "/healthz/ready", "/healthz" })
        {
            var (status, body) = await GetAsync(path);
            Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {body}");
            Assert.Equal("Healthy", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
        }
    }

    /// <summary>The very first probe after the fault answers 503: a balancer stops sending traffic at once.</summary>
    private async Task AssertNotReadyButAliveAsync(string expectedReason)
    {
        foreach (var path in new[] { "/healthz/ready", "/healthz" })
        {
            var (status, body) = await GetAsync(path);
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{path}: {(int)status} {body}");
            using var json = JsonDocument.Parse(body);
            Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
            Assert.Equal("Unhealthy", json.RootElement.GetProperty("checks").GetProperty("database").GetString());
            Assert.Contains(expectedReason, json.RootElement.GetProperty("details").GetProperty("database").GetString());
        }
        var (liveStatus, liveBody) = await GetAsync("/healthz/live");
        Assert.True(liveStatus == HttpStatusCode.OK, $"/healthz/live: {(int)liveStatus} {liveBody}");
    }
}

using System.Net;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Hosting;

/// <summary>The app on a pooled SQLite file in its own folder, so the tests can take the folder away.</summary>
public sealed class FaultyDatabaseAppFactory : ApiAppFactory
{
    private readonly string _root = Directory.CreateTempSubdirectory("atp-fault-").FullName;

    public FaultyDatabaseAppFactory()
    {
        Folder = Path.Combine(_root, "data");
        Directory.CreateDirectory(Folder);
        File = Path.Combine(Folder, "panel.db");
        // Pooled, as in production: recovering needs the pool of connections to the bad file cleared.
        Settings["Database:ConnectionString"] = new SqliteConnectionStringBuilder { DataSource = File, Pooling = true }.ToString();
        Settings["Database:BusyTimeoutSeconds"] = "1";
    }

    public string Folder { get; }
    public string File { get; }

    /// <summary>Moves the database folder aside (as if its volume were gone); returns a handle that puts it back.</summary>
    public IDisposable TakeFolderAway(Action<string>? replaceWith = null)
    {
        var aside = Folder + "-aside";
        Directory.Move(Folder, aside);
        replaceWith?.Invoke(Folder);
        // Connections opened from now on see the fault (idle pooled ones still hold the old file open).
        SqliteConnection.ClearAllPools();
        return new Restore(() =>
        {
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
            Directory.Move(aside, Folder);
        });
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public class DatabaseFaultTests : IAsyncLifetime
{
    private readonly FaultyDatabaseAppFactory _factory = new();
    private HttpClient _rest = null!;
    private HttpClient _scim = null!;
    private Guid _tokenId;

    public async Task InitializeAsync()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "db-fault@example.com", PanelRoles.SuperAdministrator);
        _rest = _factory.ClientWith(await _factory.IssueTokenAsync(owner.Id, ApiType.Rest));
        _scim = _factory.ClientWith(await _factory.IssueTokenAsync(owner.Id, ApiType.Scim));
        _tokenId = await _factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == owner.Id && t.ApiType == ApiType.Rest).Select(t => t.Id).SingleAsync());
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private async Task AssertUnavailableAsync()
    {
        foreach (var (client, url, mediaType) in new[]
        {
            (_rest, "/api/v1/tokens", "application/problem+json"),
            (_scim, "/scim/v2/Users", "application/scim+json"),
        })
        {
            var response = await client.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{url}: {(int)response.StatusCode} {text}");
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
            Assert.Contains("database", text);
        }

        var page = new HttpRequestMessage(HttpMethod.Get, "/account/setup");
        page.Headers.Accept.ParseAdd("text/html");
        var screen = await _factory.CreateClient().SendAsync(page);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, screen.StatusCode);
        Assert.Equal("text/html", screen.Content.Headers.ContentType?.MediaType);
        Assert.Contains("database is not reachable", await screen.Content.ReadAsStringAsync());

        var health = await _factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("checks").GetProperty("database").GetString());
    }

    private async Task AssertRecoveredAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _rest.GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _scim.GetAsync("/scim/v2/Users")).StatusCode);
    }

    [Fact]
    public async Task FolderGoneAnswers503AndTheAppRecoversWhenItIsBack()
    {
        await AssertRecoveredAsync();

        using (_factory.TakeFolderAway())
        {
            await AssertUnavailableAsync();
        }

        await AssertRecoveredAsync();
    }

    [Fact]
    public async Task GarbageFileAnswers503IsUnhealthyAndTheAppRecoversWhenTheRealFileIsBack()
    {
        await AssertRecoveredAsync();

        using (_factory.TakeFolderAway(folder =>
        {
            Directory.CreateDirectory(folder);
            System.IO.File.WriteAllBytes(Path.Combine(folder, "panel.db"), Enumerable.Repeat((byte)'x', 8192).ToArray());
        }))
        {
            await AssertUnavailableAsync();
            // Twice: the connections of the first round went back to the pool bound to the garbage file.
            await AssertUnavailableAsync();
        }

        await AssertRecoveredAsync();
    }

    [Fact]
    public async Task WriteLockHeldElsewhereAnswers503AfterTheBusyTimeoutAndWritesNothing()
    {
        await using (var locker = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _factory.File, Pooling = false }.ToString()))
        {
            await locker.OpenAsync();
            await using var command = locker.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE;";
            await command.ExecuteNonQueryAsync();

            var revoke = await _rest.DeleteAsync($"/api/v1/tokens/{_tokenId}");

            var text = await revoke.Content.ReadAsStringAsync();
            Assert.True(revoke.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)revoke.StatusCode} {text}");
            Assert.Equal("application/problem+json", revoke.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(revoke.Headers.RetryAfter?.Delta);
            Assert.Contains("database-unavailable", text);
        }

        Assert.Null((await _factory.WithDbAsync(db => db.AccessTokens.SingleAsync(t => t.Id == _tokenId))).RevokedAt);
        Assert.False(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenRevoked)));
        // Once the lock is gone the same request works.
        Assert.Equal(HttpStatusCode.NoContent, (await _rest.DeleteAsync($"/api/v1/tokens/{_tokenId}")).StatusCode);
    }
}

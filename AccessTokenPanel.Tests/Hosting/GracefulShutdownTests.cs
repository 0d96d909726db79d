using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AccessTokenPanel.Tests.Hosting;

/// <summary>
/// A graceful stop (SIGTERM) as a balancer and the usage history need it: readiness turns 503
/// while the instance still serves for the drain delay, and the counts of the calls it served
/// are written even when the shutdown deadline has passed by the time it gets to them.
/// </summary>
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // The only token in its database: every count in the usage history is one of its calls.
    private readonly ApiAppFactory _app = new()
    {
        Settings =
        {
            // Longer than the test: the drain ends when the test hurries the stop.
            ["Shutdown:DrainDelay"] = "00:05:00",
            // Only the stop writes the counts.
            ["Api:TokenUsage:FlushInterval"] = "01:00:00",
        },
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AStoppingInstanceIsNotReadyServesWhileItDrainsAndWritesItsCountsPastTheDeadline()
    {
        var address = _app.StartKestrel();
        var owner = await TestUsers.CreateEnrolledUserAsync(_app.Services, "drain@example.test");
        var secret = await _app.IssueTokenAsync(owner.Id, ApiType.Rest);
        using var http = new HttpClient { BaseAddress = address };
        using var api = new HttpClient { BaseAddress = address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/tokens/current")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/ready")).StatusCode);

        using var deadline = new CancellationTokenSource();
        var stopping = _app.StopAsync(deadline.Token);

        // Draining: readiness says why it is 503, liveness and the APIs still answer.
        var ready = await WaitForAsync(() => http.GetAsync("/healthz/ready"), r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        using (var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Unhealthy", json.RootElement.GetProperty("checks").GetProperty("shutdown").GetString());
            Assert.Equal("The instance is stopping.", json.RootElement.GetProperty("details").GetProperty("shutdown").GetString());
            Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/tokens/current")).StatusCode);
        Assert.False(stopping.IsCompleted);

        // The deadline passes (systemd's stop timeout, a second signal): the stop hurries, and the
        // last flush still writes both calls.
        await deadline.CancelAsync();
        await stopping.WaitAsync(Patience);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => new HttpClient { BaseAddress = address }.GetAsync("/healthz/live"));
        // Read from the file: once stopped, the app may have disposed its services.
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _app.DatabasePath, Pooling = false }.ToString());
        await db.OpenAsync();
        await using var sum = db.CreateCommand();
        sum.CommandText = "SELECT COALESCE(SUM(\"Requests\"), 0) FROM \"TokenDailyUsage\"";
        Assert.Equal(2L, (long)(await sum.ExecuteScalarAsync())!);
    }

    private static async Task<HttpResponseMessage> WaitForAsync(Func<Task<HttpResponseMessage>> call, Func<HttpResponseMessage, bool> done)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            var response = await call();
            if (done(response))
            {
                return response;
            }
            await Task.Delay(20, patience.Token);
        }
    }
}

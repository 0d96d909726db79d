using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Api.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Bench;

/// <summary>
/// The real app (same Program, same middleware, same SQLite provider) on a temp database, with one
/// user owning a few tokens, plus an unauthenticated twin of GET /api/v1/tokens at
/// /bench/twin/tokens that runs the same query and serialization without the bearer scheme.
/// </summary>
internal sealed class BenchApp : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atp-bench-").FullName;

    public string OwnerId { get; private set; } = "";
    public string RestSecret { get; private set; } = "";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "bench.db") }.ToString());
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new TwinStartupFilter(this)));
    }

    public async Task SeedAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = new PanelUser { UserName = "bench@example.com", Email = "bench@example.com", DisplayName = "Bench", CreatedAt = DateTime.UtcNow };
        var created = await users.CreateAsync(user, "Correct-Horse-Battery-9");
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        }
        OwnerId = user.Id;
        var issuer = scope.ServiceProvider.GetRequiredService<TokenIssuer>();
        for (var i = 0; i < 3; i++)
        {
            var result = await issuer.IssueAsync(new IssueTokenRequest(user.Id, $"bench {i}", ApiType.Rest, null, TokenExpiry.InDays(30)));
            RestSecret = result.Secret ?? throw new InvalidOperationException(result.ToString());
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class TwinStartupFilter(BenchApp app) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Map("/bench/twin/tokens", twin => twin.Run(async context =>
            {
                var services = context.RequestServices;
                var db = services.GetRequiredService<PanelDbContext>();
                var usage = services.GetRequiredService<TokenUsageRecorder>();
                var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
                var tokens = await db.AccessTokens.AsNoTracking().Where(t => t.OwnerId == app.OwnerId)
                    .OrderByDescending(t => t.CreatedAt).ToListAsync(context.RequestAborted);
                await Results.Ok(tokens.Select(t => TokenResponse.From(t, now, usage)).ToList()).ExecuteAsync(context);
            }));
            next(builder);
        };
    }
}

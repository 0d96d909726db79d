using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace AccessTokenPanel.Bench;

/// <summary>
/// The real app (same Program, middleware and provider) on a throw-away database, with one user
/// owning a few REST tokens, and two twins of <c>GET /api/v1/tokens/current</c> mapped beside the
/// real endpoints (same routing, rate limiter, authorization middleware and JSON):
/// <c>/bench/twin/tokens/current</c> without authentication (reads the same token by id), and
/// <c>/bench/jwt/tokens/current</c> behind a stateless JwtBearer HS256 check (reads the token by
/// the id in the JWT). The twins exist only in this bench host, never in the product.
/// </summary>
internal sealed class BenchApp(string provider = "Sqlite", string? connectionString = null, TimeSpan? usageFlushInterval = null) : WebApplicationFactory<Program>
{
    public const string JwtScheme = "BenchJwt";
    private static readonly SymmetricSecurityKey JwtKey = new(Encoding.UTF8.GetBytes("bench-only-hs256-key-of-at-least-256-bits-0123456789"));

    private readonly string _folder = Directory.CreateTempSubdirectory("atp-bench-").FullName;

    /// <summary>The database this app runs on: the one given, or a SQLite file in its own temp folder.</summary>
    public string ConnectionString => connectionString
        ?? new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "bench.db") }.ToString();

    public string Provider => provider;

    public string OwnerId { get; private set; } = "";
    public string RestSecret { get; private set; } = "";
    public Guid RestTokenId { get; private set; }

    /// <summary>A REST token with three allowed client networks, loopback among them.</summary>
    public string FencedSecret { get; private set; } = "";
    public string Jwt { get; private set; } = "";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", provider);
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // ATP_BENCH_SQL=1: every command EF Core runs, with its time, on the console (to see which query costs).
        if (Environment.GetEnvironmentVariable("ATP_BENCH_SQL") == "1")
        {
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information");
        }
        // The expiry notice scan runs at the start (on the empty database) and then not during the
        // timed runs, where it would write notices for the seeded tokens beside the measured reads.
        builder.UseSetting("Notices:ScanInterval", "1.00:00:00");
        builder.UseSetting("Notices:DispatchInterval", "1.00:00:00");
        if (usageFlushInterval is { } flush)
        {
            builder.UseSetting("Api:TokenUsage:FlushInterval", flush.ToString("c"));
        }
        // The bench is not a brute-force attempt: no credential rate limit on the token endpoints.
        builder.UseSetting("RateLimiting:Credentials:PermitLimit", "100000");
        builder.ConfigureServices(services =>
        {
            services.AddAuthentication().AddJwtBearer(JwtScheme, jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = "bench",
                    ValidAudience = "bench",
                    IssuerSigningKey = JwtKey,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                };
            });
            services.AddSingleton<IStartupFilter>(new TwinStartupFilter());
        });
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
            RestTokenId = result.Token!.Id;
        }
        var fenced = await issuer.IssueAsync(new IssueTokenRequest(user.Id, "bench fenced", ApiType.Rest, null, TokenExpiry.InDays(30),
            AllowedAddresses: ["10.0.0.0/8", "2001:db8::/32", "127.0.0.0/8"]));
        FencedSecret = fenced.Secret ?? throw new InvalidOperationException(fenced.ToString());
        Jwt = new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(
            issuer: "bench", audience: "bench",
            claims: [new Claim(TokenClaims.Owner, OwnerId), new Claim(TokenClaims.TokenId, RestTokenId.ToString())],
            expires: DateTime.UtcNow.AddDays(1),
            signingCredentials: new SigningCredentials(JwtKey, SecurityAlgorithms.HmacSha256)));
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

    /// <summary>Maps the twins on the app's own endpoint route builder, after Program mapped its endpoints.</summary>
    private sealed class TwinStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            next(builder);
            var endpoints = builder.Properties.Values.OfType<IEndpointRouteBuilder>().FirstOrDefault()
                ?? throw new InvalidOperationException("No endpoint route builder to map the twins on.");
            endpoints.MapGet("/bench/twin/tokens/current", (HttpContext http, PanelDbContext db, TokenUsageRecorder usage, TimeProvider time) =>
                DescribeAsync(Guid.Parse(http.Request.Query["id"]!), http.Request.Query["owner"]!, db, usage, time, http.RequestAborted));
            endpoints.MapGet("/bench/jwt/tokens/current", (ClaimsPrincipal user, PanelDbContext db, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken) =>
                DescribeAsync(Guid.Parse(user.FindFirstValue(TokenClaims.TokenId)!), user.FindFirstValue(TokenClaims.Owner)!, db, usage, time, cancellationToken))
                .RequireAuthorization(policy => policy.AddAuthenticationSchemes(JwtScheme).RequireAuthenticatedUser());
        };

        // The same query and JSON as GET /api/v1/tokens/{id} (what /current falls back to).
        private static async Task<IResult> DescribeAsync(Guid id, string? ownerId, PanelDbContext db, TokenUsageRecorder usage, TimeProvider time, CancellationToken cancellationToken)
        {
            var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.OwnerId == ownerId, cancellationToken);
            return token is null ? TypedResults.NotFound() : TypedResults.Ok(TokenResponse.From(token, time.GetUtcNow().UtcDateTime, usage));
        }
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AccessTokenPanel.Tests.Account;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Telemetry;

/// <summary>
/// The panel's meter is process-wide (as .NET meters are): these tests run alone, so the counts a
/// scrape shows are the calls made here and nothing another test's app did meanwhile.
/// </summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection;

[Collection(nameof(TelemetryCollection))]
public sealed partial class TelemetryTests
{
    [Fact]
    public async Task KnownCallsShowInTheScrapeAndNoSecretOrCodeReachesMetricsSpansOrLogs()
    {
        await using var app = new TelemetryApp();
        var baseAddress = app.StartKestrel();
        var user = await TestUsers.CreateEnrolledUserAsync(app.Services, "tess@example.test");
        using var http = new HttpClient { BaseAddress = baseAddress };

        // Issue a REST token with password and code (the programmatic way in).
        app.NextTotpStep();
        var issueCode = user.CodeAt(app.Time.GetUtcNow());
        using var issue = new HttpRequestMessage(HttpMethod.Post, "/api/v1/user-token");
        issue.Headers.Authorization = ApiAppFactory.Basic(user.Email, user.Password);
        issue.Headers.Add("X-OTP", issueCode);
        var issued = await http.SendAsync(issue);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var secret = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user-token").GetString()!;

        // Use it twice; once on the wrong API (refused); and put it in a URL, where only a redacted query may go.
        Assert.Equal(HttpStatusCode.OK, (await Bearer(http, "/api/v1/tokens", secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Bearer(http, "/api/v1/tokens/current", secret)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(http, "/api/config/v1/settings", secret)).StatusCode);
        using var info = new HttpRequestMessage(HttpMethod.Get, "/api/v1/user-token?token=" + secret);
        info.Headers.Authorization = ApiAppFactory.Basic(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(info)).StatusCode);

        // A failed and a successful sign-in on the screens.
        using (var mistyped = Browser(baseAddress))
        {
            await AccountHttp.PasswordStepAsync(mistyped, user.Email, "not-the-password");
        }
        using var browser = Browser(baseAddress);
        var password = await AccountHttp.PasswordStepAsync(browser, user.Email, user.Password);
        Assert.True(password.StatusCode == HttpStatusCode.Redirect, await password.Content.ReadAsStringAsync());
        app.NextTotpStep();
        Assert.Equal(HttpStatusCode.Redirect, (await AccountHttp.CodeStepAsync(browser, user.CodeAt(app.Time.GetUtcNow()))).StatusCode);
        var signInCode = user.CodeAt(app.Time.GetUtcNow());

        // Exchange it for an access token, then revoke it (its owner: cause "user"; the derived token goes too).
        var exchanged = await http.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(
            [new("grant_type", "refresh_token"), new("refresh_token", secret)]));
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        var accessSecret = (await exchanged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        var current = await (await Bearer(http, "/api/v1/tokens/current", secret)).Content.ReadFromJsonAsync<JsonElement>();
        using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/tokens/{current.GetProperty("id").GetString()}");
        revoke.Headers.Authorization = new("Bearer", secret);
        Assert.True((await http.SendAsync(revoke)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(http, "/api/v1/tokens", secret)).StatusCode);

        var scrape = await ScrapeAsync(http);

        // The scrape endpoint names why it performs no operation of the permission table.
        var endpoint = app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == "/metrics");
        Assert.NotNull(endpoint.Metadata.GetMetadata<AccessTokenPanel.Web.Api.NoOperationMetadata>());
        // /tokens, /tokens/current twice, the DELETE.
        Assert.Equal(4, Value(scrape, "atp_token_checks_total", ("api", "rest"), ("result", "accepted")));
        Assert.Equal(1, Value(scrape, "atp_token_checks_total", ("api", "rest"), ("result", "revoked")));
        Assert.Equal(1, Value(scrape, "atp_tokens_issued_total", ("api", "rest"), ("kind", "access")));
        Assert.Equal(1, Value(scrape, "atp_token_exchanges_total", ("outcome", "issued")));
        Assert.Equal(2, Value(scrape, "atp_tokens_revoked_total", ("cause", "user")));
        Assert.Equal(1, Value(scrape, "atp_token_checks_total", ("api", "configuration"), ("result", "wrong-api")));
        Assert.Equal(1, Value(scrape, "atp_tokens_issued_total", ("api", "rest"), ("kind", "standard")));
        Assert.Equal(1, Value(scrape, "atp_sign_ins_total", ("method", Domain.Sessions.SignInMethods.PasswordAndCode), ("outcome", "success")));
        Assert.Equal(1, Value(scrape, "atp_sign_ins_total", ("method", "password"), ("outcome", "failure")));
        // ASP.NET Core's and the runtime's meters are exported too.
        Assert.Contains("http_server_request_duration_seconds_bucket", scrape);
        Assert.Matches(@"(?m)^dotnet_gc_collections_total", scrape);

        // Traces of ASP.NET Core and EF Core went through the app's tracer provider.
        var spans = app.SpansText();
        Assert.Contains("Microsoft.AspNetCore GET /api/v1/tokens", spans);
        Assert.Contains("OpenTelemetry.Instrumentation.EntityFrameworkCore", spans);

        var logs = app.Logs.AllText;
        foreach (var (what, value) in new[] { ("token secret", secret), ("access token secret", accessSecret), ("issuing code", issueCode), ("sign-in code", signInCode), ("password", user.Password) })
        {
            Assert.False(scrape.Contains(value, StringComparison.Ordinal), $"The {what} is in the scrape.");
            Assert.False(spans.Contains(value, StringComparison.Ordinal), $"The {what} is in a span.");
            Assert.False(logs.Contains(value, StringComparison.Ordinal), $"The {what} is in the log.");
        }
    }

    [Fact]
    public async Task RequestsRightAfterTheStartAreTracedDownToTheDatabase()
    {
        // Start-up (migration, seeding, hosted services) uses pooled contexts. Had nobody listened
        // then, EF Core would stay silent about their commands for its logging cache time: a second
        // by default, which a warm process starts and serves well within. An hour here makes the
        // test independent of timing.
        await using var app = new TelemetryApp(prometheus: false) { EfLoggingCacheTime = TimeSpan.FromHours(1) };
        using var http = new HttpClient { BaseAddress = app.StartKestrel() };
        var owner = await TestUsers.CreateEnrolledUserAsync(app.Services, "early@example.test");
        var secret = await app.IssueTokenAsync(owner.Id, Domain.Tokens.ApiType.Rest);

        Assert.Equal(HttpStatusCode.OK, (await Bearer(http, "/api/v1/tokens", secret)).StatusCode);

        var request = app.Spans.Single(s => s.Source.Name == "Microsoft.AspNetCore" && s.DisplayName.StartsWith("GET /api/v1/tokens", StringComparison.Ordinal));
        Assert.Contains(app.Spans, s => s.TraceId == request.TraceId && s.Source.Name == "OpenTelemetry.Instrumentation.EntityFrameworkCore");
    }

    [Fact]
    public async Task WithAnOtlpEndpointTracesMetricsAndLogsReachTheCollectorWithoutTheSecret()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var app = new TelemetryApp(prometheus: false);
        app.Settings["Telemetry:Otlp:Endpoint"] = collector.Url.ToString();
        app.Settings["Telemetry:Otlp:Protocol"] = "HttpProtobuf";
        string secret;
        await using (app)
        {
            using var http = new HttpClient { BaseAddress = app.StartKestrel() };
            var owner = await TestUsers.CreateEnrolledUserAsync(app.Services, "otto@example.test");
            secret = await app.IssueTokenAsync(owner.Id, Domain.Tokens.ApiType.Rest);
            Assert.Equal(HttpStatusCode.OK, (await Bearer(http, "/api/v1/tokens?note=" + secret, secret)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(http, "/api/config/v1/settings", secret)).StatusCode);
        }

        // Disposing the app flushed every signal's exporter.
        Assert.Contains("/v1/traces", collector.Paths);
        Assert.Contains("/v1/metrics", collector.Paths);
        Assert.Contains("/v1/logs", collector.Paths);
        var everything = collector.AllBodies();
        Assert.Contains("atp.token.checks"u8.ToArray(), everything);
        Assert.DoesNotContain(System.Text.Encoding.UTF8.GetBytes(secret), everything);
    }

    [Fact]
    public async Task AnOtlpEndpointThatIsNotAnHttpAddressStopsTheStart()
    {
        await using var app = new TelemetryApp(prometheus: false);
        app.Settings["Telemetry:Otlp:Endpoint"] = "collector:4317";

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Telemetry:Otlp:Endpoint must be an http or https address", error.ToString());
    }

    [Fact]
    public async Task TheScrapeAnswersOnlyTheAllowedNetworks()
    {
        await using var app = new TelemetryApp(allowedNetworks: "10.0.0.0/8");
        using var http = new HttpClient { BaseAddress = app.StartKestrel() };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task WithoutPrometheusEnabledThereIsNoScrapeEndpoint()
    {
        await using var app = new TelemetryApp(prometheus: false);
        using var http = new HttpClient { BaseAddress = app.StartKestrel() };

        var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("atp_", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAllowedNetworkThatIsNotACidrStopsTheStart()
    {
        await using var app = new TelemetryApp(allowedNetworks: "10.0.0.1/8");

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Telemetry:Prometheus:AllowedNetworks: ", error.ToString());
        Assert.Contains("10.0.0.0/8", error.ToString());
    }

    // A real socket (the scrape checks the client address), keeping cookies and showing redirects.
    private static FormClient Browser(Uri baseAddress) =>
        new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = baseAddress });

    private static Task<HttpResponseMessage> Bearer(HttpClient http, string path, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", secret);
        return http.SendAsync(request);
    }

    private static async Task<string> ScrapeAsync(HttpClient http)
    {
        var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the one series of <paramref name="metric"/> carrying every label given (0 when none).</summary>
    private static double Value(string scrape, string metric, params (string Name, string Value)[] labels)
    {
        var series = SeriesLine().Matches(scrape)
            .Where(m => m.Groups["name"].Value == metric && labels.All(l => m.Groups["labels"].Value.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal)))
            .ToList();
        Assert.True(series.Count <= 1, $"{series.Count} series of {metric} match.");
        return series.Count == 0 ? 0 : double.Parse(series[0].Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(?m)^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)")]
    private static partial Regex SeriesLine();
}

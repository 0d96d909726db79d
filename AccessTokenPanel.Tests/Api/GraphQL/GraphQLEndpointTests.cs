using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Account;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Tests.Api.GraphQL;

/// <summary>POST /api/graphql: the security platform's issuing mutation and a "me" query, by bearer token or same-origin session.</summary>
public class GraphQLEndpointTests(GraphQLEndpointTests.GraphQLAppFactory factory) : IClassFixture<GraphQLEndpointTests.GraphQLAppFactory>
{
    public class GraphQLAppFactory : ApiAppFactory
    {
        public const string MeterHeader = "X-Test-Body-Meter";

        // All of this class's requests come from one address, faster than a script sends them; GraphQLRateLimitTests lowers the limit.
        public GraphQLAppFactory() => Settings["RateLimiting:GraphQL:PermitLimit"] = "100000";

        /// <summary>How many bytes of its body the app read, per request that carried <see cref="MeterHeader"/>.</summary>
        public ConcurrentDictionary<string, long> BodyBytesRead { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new BodyMeter(BodyBytesRead)));
        }
    }

    // The documented limit (README, GraphQL).
    private const int MaxBodyBytes = 64 * 1024;

    private static int _sequence;

    private Task<TestUser> UserAsync() =>
        TestUsers.CreateEnrolledUserAsync(factory.Services, $"gql-{Interlocked.Increment(ref _sequence)}@example.com");

    private static HttpRequestMessage Request(string query, string? code = null, string? origin = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/graphql") { Content = JsonContent.Create(new { query }) };
        if (code is not null)
        {
            request.Headers.Add("X-OTP", code);
        }
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
        return request;
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response) =>
        (await BodyAsync(response)).GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString()!;

    private string Mutation(TimeSpan ahead) =>
        $"mutation {{ updateAccessToken(expirationTime: {(factory.Time.GetUtcNow() + ahead).ToUnixTimeSeconds()}) {{ sessionJwt }} }}";

    private string FreshCode(TestUser user)
    {
        factory.NextTotpStep();
        return user.CodeAt(factory.Time.GetUtcNow());
    }

    [Fact]
    public async Task WithABearerTokenMeListsTheCallersTokens()
    {
        var user = await UserAsync();
        var secret = await factory.IssueTokenAsync(user.Id, ApiType.Rest, name: "cli");

        var response = await factory.ClientWith(secret).SendAsync(Request("query { me { email tokens { id name api expiresAt status } } }"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var me = (await BodyAsync(response)).GetProperty("data").GetProperty("me");
        Assert.Equal(user.Email, me.GetProperty("email").GetString());
        var token = Assert.Single(me.GetProperty("tokens").EnumerateArray());
        Assert.Equal("cli", token.GetProperty("name").GetString());
        Assert.Equal("rest", token.GetProperty("api").GetString());
        Assert.Equal("active", token.GetProperty("status").GetString());
    }

    [Fact]
    public async Task WithABearerTokenAndACodeTheMutationIssuesARestTokenExpiringAtTheUnixTime()
    {
        var user = await UserAsync();
        var caller = await factory.IssueTokenAsync(user.Id, ApiType.Rest);
        var code = FreshCode(user);
        var expiresAt = factory.Time.GetUtcNow().AddDays(30);

        var response = await factory.ClientWith(caller).SendAsync(Request(
            $"mutation {{ updateAccessToken(expirationTime: {expiresAt.ToUnixTimeSeconds()}) {{ sessionJwt }} }}", code));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var secret = (await BodyAsync(response)).GetProperty("data").GetProperty("updateAccessToken").GetProperty("sessionJwt").GetString()!;
        Assert.StartsWith("atp_rest_", secret);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(secret).GetAsync("/api/v1/tokens")).StatusCode);
        var hash = TokenSecret.Hash(secret);
        var stored = await factory.WithDbAsync(db => db.AccessTokens.SingleAsync(t => t.SecretHash == hash));
        Assert.Equal(expiresAt.UtcDateTime, stored.ExpiresAt);
        Assert.Equal(user.Id, stored.OwnerId);
        Assert.NotNull(stored.ParentTokenId);
    }

    [Fact]
    public async Task WithoutACodeOrWithAWrongOneNothingIsIssued()
    {
        var user = await UserAsync();
        var client = factory.ClientWith(await factory.IssueTokenAsync(user.Id, ApiType.Rest));
        var right = FreshCode(user);

        var missing = await client.SendAsync(Request(Mutation(TimeSpan.FromDays(10))));
        var wrong = await client.SendAsync(Request(Mutation(TimeSpan.FromDays(10)), right == "000000" ? "111111" : "000000"));

        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Equal("CODE_REQUIRED", await ErrorCodeAsync(missing));
        Assert.Equal("CODE_INVALID", await ErrorCodeAsync(wrong));
        Assert.Equal(JsonValueKind.Null, (await BodyAsync(missing)).GetProperty("data").ValueKind);
        Assert.Equal(1, await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.OwnerId == user.Id)));
    }

    [Fact]
    public async Task AnExpiryBeyondThePolicyIsRefusedWithoutSpendingTheCode()
    {
        var user = await UserAsync();
        var client = factory.ClientWith(await factory.IssueTokenAsync(user.Id, ApiType.Rest));
        var code = FreshCode(user);

        var tooLong = await client.SendAsync(Request(Mutation(TimeSpan.FromDays(400)), code));
        var past = await client.SendAsync(Request(Mutation(TimeSpan.FromDays(-1)), code));
        var withinPolicy = await client.SendAsync(Request(Mutation(TimeSpan.FromDays(183)), code));

        Assert.Equal("EXPIRY_BEYOND_MAXIMUM", await ErrorCodeAsync(tooLong));
        Assert.Contains("at most 365 days", (await BodyAsync(tooLong)).GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal("DATE_IN_PAST", await ErrorCodeAsync(past));
        Assert.Equal(JsonValueKind.String,
            (await BodyAsync(withinPolicy)).GetProperty("data").GetProperty("updateAccessToken").GetProperty("sessionJwt").ValueKind);
    }

    [Fact]
    public async Task WithTheSessionCookieFromTheSameOriginTheMutationIssuesAToken()
    {
        var user = await UserAsync();
        using var browser = new FormClient(factory);
        await AccountHttp.SignInAsync(browser, user, factory.Time);
        var origin = browser.Http.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var query = await browser.Http.SendAsync(Request("{ me { email } }", origin: origin, fetchSite: "same-origin"));
        var mutation = await browser.Http.SendAsync(Request(Mutation(TimeSpan.FromDays(7)), FreshCode(user), origin: origin, fetchSite: "same-origin"));

        Assert.Equal(user.Email, (await BodyAsync(query)).GetProperty("data").GetProperty("me").GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.OK, mutation.StatusCode);
        var secret = (await BodyAsync(mutation)).GetProperty("data").GetProperty("updateAccessToken").GetProperty("sessionJwt").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(secret).GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task TheSessionCookieFromAnotherOriginOrWithoutOriginOrAsAFormIsRefused()
    {
        var user = await UserAsync();
        using var browser = new FormClient(factory);
        await AccountHttp.SignInAsync(browser, user, factory.Time);
        var origin = browser.Http.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var crossOrigin = await browser.Http.SendAsync(Request(Mutation(TimeSpan.FromDays(7)), FreshCode(user), origin: "https://evil.example"));
        var crossSite = await browser.Http.SendAsync(Request(Mutation(TimeSpan.FromDays(7)), FreshCode(user), origin: origin, fetchSite: "cross-site"));
        var noOrigin = await browser.Http.SendAsync(Request(Mutation(TimeSpan.FromDays(7)), FreshCode(user)));
        var form = new HttpRequestMessage(HttpMethod.Post, "/api/graphql")
        {
            Content = new FormUrlEncodedContent([new("query", Mutation(TimeSpan.FromDays(7)))]),
        };
        form.Headers.Add("Origin", origin);
        form.Headers.Add("X-OTP", FreshCode(user));
        var asForm = await browser.Http.SendAsync(form);

        foreach (var refused in new[] { crossOrigin, crossSite, noOrigin })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("CROSS_ORIGIN", await ErrorCodeAsync(refused));
        }
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, asForm.StatusCode);
        Assert.Equal(0, await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.OwnerId == user.Id)));
    }

    [Fact]
    public async Task WithoutCredentialsOrWithABadTokenIs401InTheGraphQLErrorShape()
    {
        var anonymous = await factory.CreateClient().SendAsync(Request("{ me { email } }"));
        var badToken = await factory.ClientWith(TokenSecret.Generate(ApiType.Rest)).SendAsync(Request("{ me { email } }"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("UNAUTHENTICATED", await ErrorCodeAsync(anonymous));
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Equal("UNAUTHENTICATED", await ErrorCodeAsync(badToken));
        Assert.Contains("error=\"invalid_token\"", badToken.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task InvalidTooDeepOrUnreadableRequestsAreClientErrorsNever500()
    {
        var user = await UserAsync();
        var client = factory.ClientWith(await factory.IssueTokenAsync(user.Id, ApiType.Rest));
        var deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }";

        var syntax = await client.SendAsync(Request("{ me { email "));
        var unknownField = await client.SendAsync(Request("{ me { password } }"));
        var tooDeep = await client.SendAsync(Request(deep));
        var notJson = await client.PostAsync("/api/graphql", new StringContent("{\"query\":", Encoding.UTF8, "application/json"));
        var noQuery = await client.PostAsJsonAsync("/api/graphql", new { variables = new { } });

        foreach (var response in new[] { syntax, unknownField, tooDeep, notJson, noQuery })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotEmpty((await BodyAsync(response)).GetProperty("errors").EnumerateArray());
        }
        Assert.Contains("depth", (await BodyAsync(tooDeep)).GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ACodeRefusedUncheckedWhileOthersAreBeingCheckedIsTooManyAttemptsNotInvalid()
    {
        var user = await UserAsync();
        var client = factory.ClientWith(await factory.IssueTokenAsync(user.Id, ApiType.Rest));
        // As many attempts charged as the lockout allows, none finished: what parallel guesses leave while they are checked.
        // A code sent with a token counts against that token (not its owner's sign-in).
        var limit = factory.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;
        await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OwnerId == user.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.StepUpFailedAttempts, limit)));

        var response = await client.SendAsync(Request(Mutation(TimeSpan.FromDays(7)), FreshCode(user)));

        Assert.Equal("TOO_MANY_ATTEMPTS", await ErrorCodeAsync(response));
        Assert.Equal(1, await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.OwnerId == user.Id)));
    }

    [Fact]
    public async Task ASignedInSessionThatHasNotEnrolledIsRefusedWith403()
    {
        var email = $"gql-unenrolled-{Interlocked.Increment(ref _sequence)}@example.com";
        await AccountHttp.CreateUnenrolledUserAsync(factory, email);
        using var browser = new FormClient(factory);
        // The password alone signs an unenrolled user in, to the enrollment page only.
        Assert.Equal("/account/two-factor", FormClient.LocationOf(await AccountHttp.PasswordStepAsync(browser, email, TestUsers.DefaultPassword)));
        var origin = browser.Http.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var response = await browser.Http.SendAsync(Request("{ me { email tokens { id } } }", origin: origin, fetchSite: "same-origin"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("NOT_ENROLLED", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ABodyWithoutALengthOverTheLimitIs413WithoutBeingReadToTheEnd()
    {
        var user = await UserAsync();
        // Without the redirect handler, which would buffer the body and give it a Content-Length.
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new("Bearer", await factory.IssueTokenAsync(user.Id, ApiType.Rest));
        // Sixteen times the limit and no Content-Length (sent chunked): only reading can tell its size.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/graphql") { Content = new UnsizedQueryContent(16 * MaxBodyBytes) };
        var meter = Guid.NewGuid().ToString("N");
        request.Headers.Add(GraphQLAppFactory.MeterHeader, meter);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("REQUEST_TOO_LARGE", await ErrorCodeAsync(response));
        Assert.InRange(factory.BodyBytesRead[meter], MaxBodyBytes, 2 * MaxBodyBytes);
    }

    [Fact]
    public async Task AQueryLongerThanTheCapIsRefusedBeforeItIsParsed()
    {
        var user = await UserAsync();
        var client = factory.ClientWith(await factory.IssueTokenAsync(user.Id, ApiType.Rest));
        // The review's 63 KB of one field repeated: within the body limit, 3.4 s of parsing and validation.
        var query = "{ me { " + string.Concat(Enumerable.Repeat("email ", 63 * 1024 / 6)) + "} }";

        var response = await client.SendAsync(Request(query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("QUERY_TOO_LONG", await ErrorCodeAsync(response));
        Assert.Contains("8192 characters", (await BodyAsync(response)).GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task AQueryWithMoreTokensThanTheCapIsRefusedBeforeItIsParsed()
    {
        var user = await UserAsync();
        var client = factory.ClientWith(await factory.IssueTokenAsync(user.Id, ApiType.Rest));
        // 1,205 tokens in 7,210 characters: short enough, too many tokens.
        var query = "{ me { " + string.Concat(Enumerable.Repeat("email ", 1200)) + "} }";

        var response = await client.SendAsync(Request(query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("QUERY_TOO_MANY_TOKENS", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task FragmentsThatExpandToTooManyFieldsAreRefusedBeforeValidationWhileSmallFragmentsRun()
    {
        var user = await UserAsync();
        var client = factory.ClientWith(await factory.IssueTokenAsync(user.Id, ApiType.Rest));
        // Each fragment spreads the next twice: 13 short fragments ask for 8,191 fields (thirty would
        // ask for a billion, and the complexity analyzer would walk every one of them).
        var bomb = "{ me { ...F0 } } " + string.Concat(Enumerable.Range(0, 12).Select(i => $"fragment F{i} on Me {{ email ...F{i + 1} ...F{i + 1} }} "))
            + "fragment F12 on Me { email }";

        var refused = await client.SendAsync(Request(bomb));
        var small = await client.SendAsync(Request("{ me { ...Who } } fragment Who on Me { email tokens { name } }"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("QUERY_TOO_MANY_FIELDS", await ErrorCodeAsync(refused));
        Assert.True(small.StatusCode == HttpStatusCode.OK, await small.Content.ReadAsStringAsync());
        Assert.Equal(user.Email, (await BodyAsync(small)).GetProperty("data").GetProperty("me").GetProperty("email").GetString());
    }

    /// <summary>A JSON query of <paramref name="size"/> bytes (never closed) whose length is not known beforehand.</summary>
    private sealed class UnsizedQueryContent : HttpContent
    {
        private readonly int _size;

        public UnsizedQueryContent(int size)
        {
            _size = size;
            Headers.ContentType = new("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var fields = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("email ", 1024)));
            await stream.WriteAsync("{\"query\":\"{ me { "u8.ToArray());
            for (var sent = 0; sent < _size; sent += fields.Length)
            {
                await stream.WriteAsync(fields);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Counts what the app reads of each metered request's body: the client cannot tell, the test host takes all of it either way.</summary>
    private sealed class BodyMeter(ConcurrentDictionary<string, long> bytesRead) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, nextMiddleware) =>
            {
                if (http.Request.Headers[GraphQLAppFactory.MeterHeader].ToString() is not { Length: > 0 } meter)
                {
                    await nextMiddleware(http);
                    return;
                }
                var counting = new CountingStream(http.Request.Body);
                http.Request.Body = counting;
                try
                {
                    await nextMiddleware(http);
                }
                finally
                {
                    bytesRead[meter] = counting.BytesRead;
                }
            });
            next(app);
        };
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The app reads bodies asynchronously.");

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

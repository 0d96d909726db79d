using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static AccessTokenPanel.Tests.Api.OAuth.OAuthClient;

namespace AccessTokenPanel.Tests.Api.Rest;

/// <summary>
/// The app trusting two leak-report keys: one the tests sign with, and the key of GitHub's own
/// published sample, with a notice channel switched on so a leak notice gets a delivery.
/// </summary>
public sealed class LeakReportAppFactory : ApiAppFactory
{
    public const string KeyIdentifier = "test-scanner-key-1";

    public LeakReportAppFactory()
    {
        Settings["LeakReports:PublicKeys:0:KeyIdentifier"] = KeyIdentifier;
        Settings["LeakReports:PublicKeys:0:Key"] = SigningKey.ExportSubjectPublicKeyInfoPem();
        Settings["LeakReports:PublicKeys:1:KeyIdentifier"] = GitHubSample.KeyIdentifier;
        Settings["LeakReports:PublicKeys:1:Key"] = GitHubSample.PublicKey;
        Settings["RateLimiting:LeakReports:PermitLimit"] = "100000";
    }

    public ECDsa SigningKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<INoticeChannel, SwitchedOnChannel>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SigningKey.Dispose();
    }

    /// <summary>A configured channel that accepts everything: the notice must get a delivery for it.</summary>
    private sealed class SwitchedOnChannel : INoticeChannel
    {
        public NoticeChannel Channel => NoticeChannel.Webhook;
        public bool IsEnabled => true;
        public string? TargetFor(NoticeMessage message) => "https://hooks.example.test/panel";

        public Task<DeliveryAttempt> SendAsync(NoticeMessage message, Guid deliveryId, CancellationToken cancellationToken) =>
            Task.FromResult(DeliveryAttempt.Success);
    }
}

/// <summary>
/// The request and key from GitHub's secret scanning partner program documentation (its Python
/// validation sample, github/docs pull request 18776): a signature GitHub made, not one we made.
/// </summary>
public static class GitHubSample
{
    public const string KeyIdentifier = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a";
    public const string PublicKey = "-----BEGIN PUBLIC KEY-----\n"
        + "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9MJJHnMfn2+H4xL4YaPDA4RpJqUq\n"
        + "kCmRCBnYERxZanmcpzQSXs1X/AljlKkbJ8qpVIW4clayyef9gWhFbNHWAA==\n"
        + "-----END PUBLIC KEY-----";
    public const string Body = """[{"token":"some_token","type":"some_type","url":"some_url"}]""";
    public const string Signature = "MEUCIQDKZokqnCjrRtw0tni+2Ltvl/uiMJ1EGumEsp1BsNr32AIgQY1YXD2nlj+XNfGK4rBfkMJ1JDOQcYXxa2sY8FNkrKc=";
}

public class LeakReportTests(LeakReportAppFactory factory) : IClassFixture<LeakReportAppFactory>
{
    private const string TokenType = "accesstokenpanel_rest_token";
    private const string Url = "https://github.com/octocat/hello-world/blob/12345600b9cbe38a219f39a9941c9319b600c002/deploy.sh";

    private static int _sequence;

    private async Task<(TestUser Owner, string Secret, Guid Id)> TokenAsync(ApiType api = ApiType.Rest)
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"leaky-{Interlocked.Increment(ref _sequence)}@example.com",
            api == ApiType.Configuration ? [PanelRoles.SuperAdministrator] : []);
        var secret = await factory.IssueTokenAsync(owner.Id, api, api == ApiType.Configuration ? PanelRoles.ReadOnly : null);
        var hash = TokenSecret.Hash(secret);
        var id = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.SecretHash == hash).Select(t => t.Id).SingleAsync());
        return (owner, secret, id);
    }

    private static string Report(params string[] tokens) => Report(tokens.Select(t => (t, Url)).ToArray());

    private static string Report(params (string Token, string Url)[] entries) =>
        JsonSerializer.Serialize(entries.Select(e => new { token = e.Token, type = TokenType, url = e.Url, source = "commit" }));

    private string Sign(byte[] body, ECDsa? key = null) =>
        Convert.ToBase64String((key ?? factory.SigningKey).SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <summary>POSTs the body as GitHub does; the headers are left out when given as null.</summary>
    private async Task<HttpResponseMessage> PostAsync(byte[] body, string? keyIdentifier, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/leaks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (keyIdentifier is not null)
        {
            request.Headers.Add("Github-Public-Key-Identifier", keyIdentifier);
        }
        if (signature is not null)
        {
            request.Headers.Add("Github-Public-Key-Signature", signature);
        }
        return await factory.CreateClient().SendAsync(request);
    }

    private Task<HttpResponseMessage> SignedAsync(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return PostAsync(bytes, LeakReportAppFactory.KeyIdentifier, Sign(bytes));
    }

    private static async Task<List<(string? Raw, string? Type, string? Label)>> LabelsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var entries = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        // The partner program's feedback shape, and nothing more about our tokens.
        Assert.All(entries, e => Assert.Equal(["label", "token_raw", "token_type"], e.EnumerateObject().Select(p => p.Name).Order()));
        return entries.Select(e => (e.GetProperty("token_raw").GetString(), e.GetProperty("token_type").GetString(), e.GetProperty("label").GetString())).ToList();
    }

    private async Task<HttpStatusCode> CallWithAsync(string secret) =>
        (await factory.ClientWith(secret).GetAsync("/api/v1/tokens")).StatusCode;

    private async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? secretNotEchoed = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        if (secretNotEchoed is not null)
        {
            Assert.DoesNotContain(secretNotEchoed, text);
        }
    }

    private Task<int> AuditCountAsync(Guid tokenId, string action) =>
        factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.SubjectId == tokenId.ToString() && e.Action == action));

    private async Task AssertUntouchedAsync(string secret, Guid id)
    {
        Assert.Equal(HttpStatusCode.OK, await CallWithAsync(secret));
        Assert.Null(await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Id == id).Select(t => t.RevokedAt).SingleAsync()));
        Assert.Equal(0, await AuditCountAsync(id, AuditActions.TokenLeakReported));
        Assert.Equal(0, await factory.WithDbAsync(db => db.TokenNotices.CountAsync(n => n.TokenId == id)));
    }

    [Fact]
    public async Task AGoodlySignedReportRevokesOurTokenAuditsItAndTellsTheOwner()
    {
        var (owner, secret, id) = await TokenAsync();
        Assert.Equal(HttpStatusCode.OK, await CallWithAsync(secret));

        var labels = await LabelsAsync(await SignedAsync(Report(secret)));

        Assert.Equal([(secret, TokenType, "true_positive")], labels);
        var refused = await factory.ClientWith(secret).GetAsync("/api/v1/tokens");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());

        var token = await factory.WithDbAsync(db => db.AccessTokens.AsNoTracking().SingleAsync(t => t.Id == id));
        Assert.NotNull(token.RevokedAt);
        Assert.Null(token.RevokedById);
        var entries = await factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.SubjectId == id.ToString()).ToListAsync());
        var reported = Assert.Single(entries, e => e.Action == AuditActions.TokenLeakReported);
        var revoked = Assert.Single(entries, e => e.Action == AuditActions.TokenRevoked);
        Assert.Null(reported.ActorId);
        Assert.Null(revoked.ActorId);
        Assert.Contains(Url, reported.Details);
        Assert.Contains("commit", reported.Details);
        Assert.Contains("secret scanning", revoked.Details);
        Assert.All(entries, e => Assert.DoesNotContain(secret[9..], e.Details));

        var notice = await factory.WithDbAsync(db => db.TokenNotices.AsNoTracking().SingleAsync(n => n.TokenId == id));
        Assert.Equal(NoticeKind.Leaked, notice.Kind);
        Assert.Equal(NoticeBoard.LeakedKey, notice.Key);
        Assert.Equal(owner.Id, notice.OwnerId);
        Assert.Equal(Url, notice.Details);
        var delivery = await factory.WithDbAsync(db => db.NoticeDeliveries.AsNoTracking().SingleAsync(d => d.NoticeId == notice.Id));
        Assert.Equal(NoticeChannel.Webhook, delivery.Channel);
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(secret[9..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task StringsThatAreNotOurTokensAreFalsePositivesAndChangeNothing()
    {
        var (_, secret, id) = await TokenAsync();
        // Our format with a wrong checksum: the real token with one character changed.
        var mistyped = secret[..^7] + (secret[^7] == 'A' ? 'B' : 'A') + secret[^6..];
        var unknown = TokenSecret.Generate(ApiType.Rest);

        var labels = await LabelsAsync(await SignedAsync(Report("NMIfyYncKcRALEXAMPLE", mistyped, unknown, "")));

        Assert.Equal(["false_positive", "false_positive", "false_positive", "false_positive"], labels.Select(l => l.Label));
        Assert.Equal(["NMIfyYncKcRALEXAMPLE", mistyped, unknown, ""], labels.Select(l => l.Raw));
        await AssertUntouchedAsync(secret, id);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task AReportWithoutItsSignatureHeadersIsRefusedAndTheTokenKeepsWorking(bool sendKeyIdentifier, bool sendSignature)
    {
        var (_, secret, id) = await TokenAsync();
        var body = Encoding.UTF8.GetBytes(Report(secret));

        var response = await PostAsync(body, sendKeyIdentifier ? LeakReportAppFactory.KeyIdentifier : null, sendSignature ? Sign(body) : null);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "leak-report-unsigned", secret);
        await AssertUntouchedAsync(secret, id);
    }

    public static TheoryData<string> BadSignatures() => ["another key", "tampered body", "unknown key identifier", "not base64", "not a DER signature", "signature of nothing"];

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task ABadlySignedReportIsRefusedAndTheTokenKeepsWorking(string how)
    {
        var (_, secret, id) = await TokenAsync();
        var body = Encoding.UTF8.GetBytes(Report(secret));
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyIdentifier = LeakReportAppFactory.KeyIdentifier;
        var signature = Sign(body);
        var sent = body;
        switch (how)
        {
            case "another key":
                signature = Sign(body, otherKey);
                break;
            case "tampered body":
                // Signed as sent, then a space added: the signature covers the raw bytes, not the JSON's meaning.
                sent = [.. body, (byte)' '];
                break;
            case "unknown key identifier":
                keyIdentifier = "some-other-key";
                break;
            case "not base64":
                signature = "this is not base64!";
                break;
            case "not a DER signature":
                signature = Convert.ToBase64String(new byte[64]);
                break;
            case "signature of nothing":
                signature = Sign([]);
                break;
        }

        var response = await PostAsync(sent, keyIdentifier, signature);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden,
            how == "unknown key identifier" ? "leak-report-key-unknown" : "leak-report-signature-invalid", secret);
        await AssertUntouchedAsync(secret, id);
    }

    [Fact]
    public async Task GitHubsPublishedSampleReportIsAccepted()
    {
        var response = await PostAsync(Encoding.UTF8.GetBytes(GitHubSample.Body), GitHubSample.KeyIdentifier, GitHubSample.Signature);

        Assert.Equal([("some_token", "some_type", "false_positive")], await LabelsAsync(response));
    }

    [Fact]
    public async Task ARepeatedReportIsATruePositiveWithOneRevocationAndOneNotice()
    {
        var (_, secret, id) = await TokenAsync();

        var first = await LabelsAsync(await SignedAsync(Report((secret, Url))));
        factory.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await LabelsAsync(await SignedAsync(Report((secret, Url + "?again"), (secret, Url + "#twice-in-one-report"))));

        Assert.Equal("true_positive", Assert.Single(first).Label);
        Assert.Equal(["true_positive", "true_positive"], second.Select(l => l.Label));
        Assert.Equal(1, await AuditCountAsync(id, AuditActions.TokenRevoked));
        Assert.Equal(3, await AuditCountAsync(id, AuditActions.TokenLeakReported));
        Assert.Equal(1, await factory.WithDbAsync(db => db.TokenNotices.CountAsync(n => n.TokenId == id)));
    }

    [Fact]
    public async Task ATokenRevokedBeforeIsATruePositiveAuditedWithoutANotice()
    {
        var (owner, secret, id) = await TokenAsync();
        await using (var scope = factory.Scope())
        {
            Assert.Equal(RevokeOutcome.Revoked, await scope.ServiceProvider.RevokeAsAsync(id, owner.Id));
        }

        var labels = await LabelsAsync(await SignedAsync(Report(secret)));

        Assert.Equal("true_positive", Assert.Single(labels).Label);
        var reported = await factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.SubjectId == id.ToString() && e.Action == AuditActions.TokenLeakReported));
        Assert.Contains("already revoked", reported.Details);
        Assert.Equal(owner.Id, await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.Id == id).Select(t => t.RevokedById).SingleAsync()));
        Assert.Equal(0, await factory.WithDbAsync(db => db.TokenNotices.CountAsync(n => n.TokenId == id)));
    }

    [Fact]
    public async Task TokensDerivedFromAReportedTokenAreRefusedToo()
    {
        var (_, secret, id) = await TokenAsync();
        var access = await AccessTokenAsync(factory.CreateClient(), secret);
        Assert.Equal(HttpStatusCode.OK, await CallWithAsync(access));

        await LabelsAsync(await SignedAsync(Report(secret)));

        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(access));
        var derivedId = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.ParentTokenId == id).Select(t => t.Id).SingleAsync());
        Assert.Equal(1, await AuditCountAsync(derivedId, AuditActions.TokenRevoked));
        // The owner hears once, about the token that leaked.
        Assert.Equal(0, await factory.WithDbAsync(db => db.TokenNotices.CountAsync(n => n.TokenId == derivedId)));
    }

    [Fact]
    public async Task AMixedReportAnswersEachSecretInItsOrder()
    {
        var (_, rest, restId) = await TokenAsync();
        var (_, configuration, configurationId) = await TokenAsync(ApiType.Configuration);
        var (_, bystander, bystanderId) = await TokenAsync();
        var unknown = TokenSecret.Generate(ApiType.Scim);

        var labels = await LabelsAsync(await SignedAsync(Report(rest, "ghp_notours", configuration, unknown)));

        Assert.Equal(["true_positive", "false_positive", "true_positive", "false_positive"], labels.Select(l => l.Label));
        Assert.Equal([rest, "ghp_notours", configuration, unknown], labels.Select(l => l.Raw));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(rest));
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(configuration).GetAsync("/api/config/v1/settings")).StatusCode);
        Assert.Equal(1, await factory.WithDbAsync(db => db.TokenNotices.CountAsync(n => n.TokenId == restId)));
        Assert.Equal(1, await factory.WithDbAsync(db => db.TokenNotices.CountAsync(n => n.TokenId == configurationId)));
        await AssertUntouchedAsync(bystander, bystanderId);
    }

    [Fact]
    public async Task AReportLargerThanTheLimitIsRefusedWithoutRevokingAnything()
    {
        var (_, secret, id) = await TokenAsync();
        var body = Encoding.UTF8.GetBytes(Report((secret, Url + "?" + new string('x', 1024 * 1024))));

        var response = await PostAsync(body, LeakReportAppFactory.KeyIdentifier, Sign(body));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "leak-report-too-large", secret);
        await AssertUntouchedAsync(secret, id);
    }

    [Fact]
    public async Task AReportWithTooManySecretsIsRefusedWithoutRevokingAnything()
    {
        var (_, secret, id) = await TokenAsync();
        var tokens = Enumerable.Repeat("x", 1000).Prepend(secret).ToArray();

        var response = await SignedAsync(Report(tokens));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "leak-report-too-many", secret);
        await AssertUntouchedAsync(secret, id);
    }

    [Fact]
    public async Task ABodyNotDeclaredAsJsonIsRefusedUnread()
    {
        var (_, secret, id) = await TokenAsync();
        var body = Encoding.UTF8.GetBytes(Report(secret));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/leaks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        request.Headers.Add("Github-Public-Key-Identifier", LeakReportAppFactory.KeyIdentifier);
        request.Headers.Add("Github-Public-Key-Signature", Sign(body));

        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertUntouchedAsync(secret, id);
    }

    [Fact]
    public async Task TheOpenApiDocumentNamesTheSignatureHeadersAndNoBearerToken()
    {
        var document = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var operation = document.GetProperty("paths").GetProperty("/api/v1/leaks").GetProperty("post");

        Assert.Equal(["Github-Public-Key-Identifier", "Github-Public-Key-Signature"],
            operation.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()));
        Assert.False(operation.TryGetProperty("security", out _));
        Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"token":"x"}""")]
    [InlineData("[1]")]
    [InlineData("""[{"token":5}]""")]
    [InlineData("""[{"type":"only a type"}]""")]
    [InlineData("""[{"token":"x","url":["a"]}]""")]
    [InlineData("""[{"token":"x","token":"y"}]""")]
    [InlineData("""[{"token":"\ud800"}]""")]
    public async Task AWellSignedReportThatIsNotTheDocumentedJsonIsABadRequest(string body)
    {
        var response = await SignedAsync(body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "leak-report-invalid");
    }
}

/// <summary>The app as shipped: no leak-report keys configured.</summary>
public class LeakReportsWithoutKeysTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    [Fact]
    public async Task WithNoKeysConfiguredEveryReportIsRefused()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "unkeyed-leak@example.com");
        var secret = await factory.IssueTokenAsync(owner.Id, ApiType.Rest);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { new { token = secret, type = "t", url = "https://example.com", source = "commit" } }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/leaks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Github-Public-Key-Identifier", "any");
        request.Headers.Add("Github-Public-Key-Signature", Convert.ToBase64String(key.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));

        var response = await factory.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("leak-reports-disabled", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        Assert.Contains("LeakReports:PublicKeys", text);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(secret).GetAsync("/api/v1/tokens")).StatusCode);
    }
}

public class LeakReportKeyConfigurationTests
{
    [Theory]
    [InlineData("not a key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")]
    [InlineData("private")]
    [InlineData("P-384")]
    [InlineData("RSA")]
    public async Task AKeyThatIsNotAnEcdsaP256PublicKeyStopsTheAppAtStart(string key)
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        await using var factory = new ApiAppFactory();
        factory.Settings["LeakReports:PublicKeys:0:KeyIdentifier"] = "broken";
        factory.Settings["LeakReports:PublicKeys:0:Key"] = key switch
        {
            "private" => p256.ExportECPrivateKeyPem(),
            "P-384" => p384.ExportSubjectPublicKeyInfoPem(),
            "RSA" => rsa.ExportSubjectPublicKeyInfoPem(),
            _ => key,
        };

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("LeakReports:PublicKeys:0:Key is not an ECDSA P-256 public key", error.Message);
    }

    [Fact]
    public async Task AKeyGivenAsBareBase64IsAccepted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var factory = new ApiAppFactory();
        factory.Settings["LeakReports:PublicKeys:0:KeyIdentifier"] = "bare";
        factory.Settings["LeakReports:PublicKeys:0:Key"] = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        var body = "[]"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/leaks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Github-Public-Key-Identifier", "bare");
        request.Headers.Add("Github-Public-Key-Signature", Convert.ToBase64String(key.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));

        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Leak reports have a rate-limit partition of their own, apart from the credentials limit.</summary>
public class LeakReportRateLimitTests(LeakReportRateLimitTests.LowLimitFactory factory) : IClassFixture<LeakReportRateLimitTests.LowLimitFactory>
{
    public class LowLimitFactory : ApiAppFactory
    {
        public LowLimitFactory()
        {
            Settings["RateLimiting:LeakReports:PermitLimit"] = "2";
            Settings["RateLimiting:LeakReports:Window"] = "00:10:00";
            Settings["RateLimiting:Credentials:PermitLimit"] = "2";
            Settings["RateLimiting:Credentials:Window"] = "00:10:00";
        }
    }

    [Fact]
    public async Task ReportsBeyondTheirLimitGet429WithoutUsingUpTheCredentialsLimit()
    {
        var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostAsync("/api/v1/leaks", new StringContent("[]", Encoding.UTF8, "application/json"))).StatusCode);
        }
        using var credentials = new HttpRequestMessage(HttpMethod.Post, "/api/v1/user-token");
        credentials.Headers.Authorization = ApiAppFactory.Basic("nobody-leaks@example.com", "guess");
        credentials.Headers.Add("X-OTP", "123456");

        var afterwards = await client.SendAsync(credentials);

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Api.OAuth;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Permissions;

/// <summary>
/// Each operation through each surface that exposes it, as each kind of actor, against the
/// permission table: what the table allows answers 2xx, what it refuses answers 403 or 404 (a token
/// the actor may not see is not told apart from a missing one), and nothing changes. The expectation
/// is computed from the table's row (permissions, rank rule), never written out per case, so an
/// endpoint that decides differently from its row fails here.
/// </summary>
public class OperationMatrixTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private static int _sequence;

    /// <summary>Whose thing is acted on: nobody's, a user without permissions, or a Super Administrator.</summary>
    public enum Target { None, Plain, Super }

    private sealed record Case(Operation Operation, Target[] Targets, Func<Context, HttpRequestMessage> Request);

    /// <summary>What one case acts on and with.</summary>
    private sealed record Context(string TargetUserId, Guid TargetTokenId, string Code, int N);

    /// <summary>The Configuration API's operations, each with a request that is right when allowed.</summary>
    private static readonly Case[] ConfigurationCases =
    [
        new(Operations.ReadSettings, [Target.None], _ => new(HttpMethod.Get, "/api/config/v1/settings")),
        new(Operations.ChangeSettings, [Target.None], _ => Json(HttpMethod.Patch, "/api/config/v1/settings", new { organizationName = "Example" })),
        new(Operations.ReadUsers, [Target.Plain, Target.Super], c => new(HttpMethod.Get, $"/api/config/v1/users/{c.TargetUserId}")),
        new(Operations.CreateUser, [Target.None], c => Json(HttpMethod.Post, "/api/config/v1/users", new { email = $"made-{c.N}@example.com" })),
        new(Operations.UpdateUser, [Target.Plain, Target.Super], c => new(HttpMethod.Post, $"/api/config/v1/users/{c.TargetUserId}/disable")),
        new(Operations.ResetSecondFactor, [Target.Plain, Target.Super], c => new(HttpMethod.Post, $"/api/config/v1/users/{c.TargetUserId}/reset-2fa")),
        new(Operations.DeleteUser, [Target.Plain, Target.Super], c => new(HttpMethod.Delete, $"/api/config/v1/users/{c.TargetUserId}")),
        new(Operations.ReadToken, [Target.Plain, Target.Super], c => new(HttpMethod.Get, $"/api/config/v1/tokens/{c.TargetTokenId}/usage")),
        new(Operations.RotateToken, [Target.Plain, Target.Super], c =>
            WithCode(Json(HttpMethod.Post, $"/api/config/v1/tokens/{c.TargetTokenId}/rotate", new { overlapMinutes = 0 }), c.Code)),
        // Narrowing (from any address to one network) needs no code: the permission and the rank rule alone decide.
        new(Operations.SetAllowedAddresses, [Target.Plain, Target.Super], c =>
            Json(HttpMethod.Put, $"/api/config/v1/tokens/{c.TargetTokenId}/allowed-addresses", new { allowedAddresses = new[] { "10.0.0.0/8" } })),
        new(Operations.ReadExternalValidators, [Target.None], _ => new(HttpMethod.Get, "/api/config/v1/external-token-validators")),
        new(Operations.ListPendingTokenRequests, [Target.None], _ => new(HttpMethod.Get, "/api/config/v1/token-requests")),
        // With the default policies nothing is over them: allowed answers 200 and changes nothing.
        new(Operations.EnforceTokenPolicy, [Target.None], _ => new(HttpMethod.Post, "/api/config/v1/token-policies/enforce")),
        new(Operations.ListServiceAccounts, [Target.None], _ => new(HttpMethod.Get, "/api/config/v1/service-accounts")),
        new(Operations.CreateServiceAccount, [Target.None], c => Json(HttpMethod.Post, "/api/config/v1/service-accounts",
            new { name = $"matrix bot {c.N}", role = PanelRoles.ReadOnly })),
        new(Operations.ChangeExternalValidators, [Target.None], c => WithCode(Json(HttpMethod.Post, "/api/config/v1/external-token-validators",
            new { name = $"idp {c.N}", issuer = $"https://idp{c.N}.example.com", audience = "api://panel", userClaim = "sub", maxRole = PanelRoles.ReadOnly }), c.Code)),
    ];

    public static TheoryData<string, string, Target> ConfigurationMatrix()
    {
        var data = new TheoryData<string, string, Target>();
        foreach (var role in PanelRoles.All)
        {
            foreach (var @case in ConfigurationCases)
            {
                foreach (var target in @case.Targets)
                {
                    data.Add(role.Name, @case.Operation.Name, target);
                }
            }
        }
        return data;
    }

    /// <summary>The table's verdict for a Configuration token delegated <paramref name="role"/> by a Super Administrator.</summary>
    private static bool TableAllows(Operation operation, PanelRole role, Target target)
    {
        var targetPermissions = target == Target.Super ? Permission.All.ToHashSet() : [];
        return operation.Permissions.All(role.Permissions.Contains)
            && (!operation.RankRule || targetPermissions.IsSubsetOf(role.Permissions));
    }

    [Theory]
    [MemberData(nameof(ConfigurationMatrix))]
    public async Task AConfigurationTokenDoesExactlyWhatItsRoleAllowsByTheTable(string roleName, string operationName, Target target)
    {
        var role = PanelRoles.Find(roleName)!;
        var @case = ConfigurationCases.Single(c => c.Operation.Name == operationName);
        var n = Interlocked.Increment(ref _sequence);
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"matrix-owner-{n}@example.com", PanelRoles.SuperAdministrator);
        var client = factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Configuration, role.Name));
        var targetUser = await UserAsync($"matrix-target-{n}@example.com", target == Target.Super ? PanelRoles.SuperAdministrator : null);
        var targetToken = await StoredTokenAsync(targetUser);
        factory.NextTotpStep();

        var response = await client.SendAsync(@case.Request(new Context(targetUser, targetToken, owner.CodeAt(factory.Time.GetUtcNow()), n)));

        var body = await response.Content.ReadAsStringAsync();
        if (TableAllows(@case.Operation, role, target))
        {
            Assert.True(response.IsSuccessStatusCode, $"{role.Name} should {operationName} ({target}): {(int)response.StatusCode} {body}");
        }
        else
        {
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
                $"{role.Name} should be refused {operationName} ({target}): {(int)response.StatusCode} {body}");
            await AssertUntouchedAsync(targetUser, targetToken);
        }
    }

    /// <summary>The service-account rows, as a Configuration token acts on an account it does not own.</summary>
    private static readonly (Operation Operation, Func<string, HttpRequestMessage> Request)[] ServiceAccountCases =
    [
        (Operations.ReadServiceAccount, id => new(HttpMethod.Get, $"/api/config/v1/service-accounts/{id}")),
        (Operations.ManageServiceAccount, id => new(HttpMethod.Post, $"/api/config/v1/service-accounts/{id}/disable")),
        (Operations.DeleteServiceAccount, id => new(HttpMethod.Delete, $"/api/config/v1/service-accounts/{id}")),
    ];

    public static TheoryData<string, string, Target> ServiceAccountMatrix()
    {
        var data = new TheoryData<string, string, Target>();
        foreach (var role in PanelRoles.All)
        {
            foreach (var (operation, _) in ServiceAccountCases)
            {
                data.Add(role.Name, operation.Name, Target.Plain);
                data.Add(role.Name, operation.Name, Target.Super);
            }
        }
        return data;
    }

    /// <summary>
    /// Against a service account whose role is Read Only (Plain) or Super Administrator (Super), owned
    /// by someone else: the table's permission and rank rule decide, and a refusal changes nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(ServiceAccountMatrix))]
    public async Task AConfigurationTokenActsOnServiceAccountsItDoesNotOwnAsTheTableSays(string roleName, string operationName, Target target)
    {
        var role = PanelRoles.Find(roleName)!;
        var (operation, request) = ServiceAccountCases.Single(c => c.Operation.Name == operationName);
        var n = Interlocked.Increment(ref _sequence);
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"sa-matrix-owner-{n}@example.com", PanelRoles.SuperAdministrator);
        var creator = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"sa-matrix-creator-{n}@example.com", PanelRoles.SuperAdministrator);
        var accountRole = PanelRoles.Find(target == Target.Super ? PanelRoles.SuperAdministrator : PanelRoles.ReadOnly)!;
        string accountId;
        await using (var scope = factory.Scope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<Domain.ServiceAccounts.ServiceAccounts>().CreateAsync(
                await scope.ServiceProvider.SessionAsync(creator.Id), new Domain.ServiceAccounts.NewServiceAccount($"matrix account {n}", null, accountRole.Name));
            Assert.True(created.Succeeded, created.ToString());
            accountId = created.Value!.Id;
        }
        var client = factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Configuration, role.Name));

        var response = await client.SendAsync(request(accountId));

        var body = await response.Content.ReadAsStringAsync();
        var allowed = operation.Permissions.All(role.Permissions.Contains) && (!operation.RankRule || accountRole.Permissions.IsSubsetOf(role.Permissions));
        if (allowed)
        {
            Assert.True(response.IsSuccessStatusCode, $"{role.Name} should {operationName} ({target}): {(int)response.StatusCode} {body}");
        }
        else
        {
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
                $"{role.Name} should be refused {operationName} ({target}): {(int)response.StatusCode} {body}");
            var account = await factory.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == accountId));
            Assert.False(account.IsDisabled);
            Assert.Null(account.DeletedAt);
        }
    }

    /// <summary>The REST API and GraphQL act on the caller's own tokens only, whatever the caller holds.</summary>
    [Theory]
    [InlineData("GET")]
    [InlineData("USAGE")]
    [InlineData("ADDRESSES")]
    [InlineData("ROTATE")]
    [InlineData("DELETE")]
    public async Task ARestTokenActsOnItsOwnersTokensAndNoOneElses(string operation)
    {
        var n = Interlocked.Increment(ref _sequence);
        // A Super Administrator's REST token: the REST surface still acts on own tokens only.
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"rest-owner-{n}@example.com", PanelRoles.SuperAdministrator);
        var client = factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Rest));
        var own = await StoredTokenAsync(owner.Id);
        var someoneElse = await UserAsync($"rest-other-{n}@example.com", null);
        var theirs = await StoredTokenAsync(someoneElse);
        HttpRequestMessage Request(Guid id)
        {
            factory.NextTotpStep();
            var code = owner.CodeAt(factory.Time.GetUtcNow());
            return operation switch
            {
                "GET" => new(HttpMethod.Get, $"/api/v1/tokens/{id}"),
                "USAGE" => new(HttpMethod.Get, $"/api/v1/tokens/{id}/usage"),
                "ADDRESSES" => Json(HttpMethod.Put, $"/api/v1/tokens/{id}/allowed-addresses", new { allowedAddresses = new[] { "10.0.0.0/8" } }),
                "ROTATE" => WithCode(Json(HttpMethod.Post, $"/api/v1/tokens/{id}/rotate", new { overlapMinutes = 0 }), code),
                _ => new(HttpMethod.Delete, $"/api/v1/tokens/{id}"),
            };
        }

        var refused = await client.SendAsync(Request(theirs));
        var allowed = await client.SendAsync(Request(own));

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        await AssertUntouchedAsync(someoneElse, theirs);
        Assert.True(allowed.IsSuccessStatusCode, $"{operation} on an own token: {(int)allowed.StatusCode} {await allowed.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData(ApiType.Configuration, "/api/config/v1/settings")]
    [InlineData(ApiType.Rest, "/api/v1/tokens")]
    public async Task ADisabledOwnersTokenIsRefusedOnEverySurface(ApiType api, string path)
    {
        var n = Interlocked.Increment(ref _sequence);
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"disabled-{n}@example.com", PanelRoles.SuperAdministrator);
        var client = factory.ClientWith(await factory.IssueTokenAsync(owner.Id, api, api == ApiType.Configuration ? PanelRoles.SuperAdministrator : null));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);

        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == owner.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/graphql", new { query = "{ me { email } }" })).StatusCode);
    }

    [Fact]
    public async Task AnAccessTokenWhoseParentWasRevokedIsRefusedEvenIfItsOwnRowWasNeverTouched()
    {
        var n = Interlocked.Increment(ref _sequence);
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"parent-{n}@example.com");
        var refresh = await factory.IssueTokenAsync(owner.Id, ApiType.Rest);
        var access = await OAuthClient.AccessTokenAsync(factory.CreateClient(), refresh);
        var client = factory.ClientWith(access);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tokens")).StatusCode);

        // Only the parent's row is revoked, as by a revoker that ran before the child existed.
        var hash = TokenSecret.Hash(refresh);
        await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.SecretHash == hash)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, factory.Time.GetUtcNow().UtcDateTime)));

        var refused = await client.GetAsync("/api/v1/tokens");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("derived from was revoked", refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/graphql", new { query = "{ me { email } }" })).StatusCode);
    }

    /// <summary>
    /// The review's race: eight clients exchange the refresh token as fast as they can while it is
    /// revoked. Whatever was issued, before or during the revoke, is refused after it.
    /// </summary>
    [Fact]
    public async Task NoAccessTokenIsAcceptedAfterItsParentIsRevokedWhileEightClientsExchange()
    {
        var n = Interlocked.Increment(ref _sequence);
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"race-{n}@example.com");
        var refresh = await factory.IssueTokenAsync(owner.Id, ApiType.Rest);
        var parentId = await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.SecretHash == TokenSecret.Hash(refresh)).Select(t => t.Id).SingleAsync());
        var issued = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();

        async Task ExchangeUntilRefusedAsync()
        {
            var client = factory.CreateClient();
            for (var i = 0; i < 200 && !stop.IsCancellationRequested; i++)
            {
                var response = await OAuthClient.ExchangeAsync(client, refresh);
                if (!response.IsSuccessStatusCode)
                {
                    return;
                }
                issued.Add(System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!);
                started.TrySetResult();
            }
        }
        var exchangers = Enumerable.Range(0, 8).Select(_ => Task.Run(ExchangeUntilRefusedAsync)).ToList();
        await started.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await using (var scope = factory.Scope())
        {
            var revoked = await scope.ServiceProvider.GetRequiredService<TokenRevoker>()
                .RevokeAsync(await scope.ServiceProvider.SessionAsync(owner.Id), parentId);
            Assert.Equal(RevokeOutcome.Revoked, revoked.Value);
        }
        stop.CancelAfter(TimeSpan.FromSeconds(30));
        await Task.WhenAll(exchangers);

        Assert.NotEmpty(issued);
        var accepted = 0;
        foreach (var access in issued)
        {
            if ((await factory.ClientWith(access).GetAsync("/api/v1/tokens/current")).StatusCode != HttpStatusCode.Unauthorized)
            {
                accepted++;
            }
        }
        Assert.Equal(0, accepted);
        // And none is left live in the database either: the revoker found every child, or none was made after it.
        Assert.Equal(0, await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.ParentTokenId == parentId && t.RevokedAt == null)));
    }

    private async Task<string> UserAsync(string email, string? role)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = new PanelUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, CreatedAt = factory.Time.GetUtcNow().UtcDateTime };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        if (role is not null)
        {
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }
        return user.Id;
    }

    private async Task<Guid> StoredTokenAsync(string ownerId)
    {
        await using var scope = factory.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenIssuer>().IssueAsync(
            new IssueTokenRequest(ownerId, $"target {Guid.NewGuid():N}", ApiType.Rest, null, TokenExpiry.InDays(30)));
        Assert.True(result.Succeeded, result.ToString());
        return result.Token!.Id;
    }

    /// <summary>A refused operation changed nothing: the user is as made, the token live, unrotated and unrestricted.</summary>
    private async Task AssertUntouchedAsync(string userId, Guid tokenId)
    {
        var user = await factory.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.False(user.IsDisabled);
        Assert.Null(user.DeletedAt);
        var token = await factory.WithDbAsync(db => db.AccessTokens.AsNoTracking().SingleAsync(t => t.Id == tokenId));
        Assert.Equal((null, null, null), (token.RevokedAt, token.RotatedAt, token.AllowedAddresses));
    }

    private static HttpRequestMessage Json(HttpMethod method, string url, object body) =>
        new(method, url) { Content = JsonContent.Create(body) };

    private static HttpRequestMessage WithCode(HttpRequestMessage request, string code)
    {
        request.Headers.Add("X-OTP", code);
        return request;
    }
}

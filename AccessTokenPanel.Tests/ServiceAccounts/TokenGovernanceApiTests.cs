using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.ServiceAccounts;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.ServiceAccounts;

/// <summary>
/// Service accounts, token policies and approval over real HTTP, as an integration would use them:
/// the Configuration API for administrators, the REST API for owners and requesters.
/// </summary>
public class TokenGovernanceApiTests(DatabaseProvider provider = DatabaseProvider.Sqlite) : IAsyncLifetime
{
    private readonly ApiAppFactory _app = provider == DatabaseProvider.PostgreSql ? new Persistence.PostgreSqlApiAppFactory() : new ApiAppFactory();

    public Task InitializeAsync() => Task.CompletedTask;
    Task IAsyncLifetime.DisposeAsync() => _app.DisposeAsync().AsTask();

    private string FreshCode(TestUser user)
    {
        _app.NextTotpStep();
        return user.CodeAt(_app.Time.GetUtcNow());
    }

    private static HttpRequestMessage Post(string path, object? body, string? code = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (code is not null)
        {
            request.Headers.Add("X-OTP", code);
        }
        return request;
    }

    private async Task<string> CreateServiceAccountAsync(HttpClient config, string name, string role)
    {
        var response = await config.PostAsJsonAsync("/api/config/v1/service-accounts", new { name, description = "Deploys the website", role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task AServiceAccountsTokenSurvivesItsCreatorBeingDisabledAndTheAccountIsMarkedOwnerless()
    {
        var creator = await TestUsers.CreateEnrolledUserAsync(_app.Services, "creator@example.com", PanelRoles.SuperAdministrator);
        var otherAdmin = await TestUsers.CreateEnrolledUserAsync(_app.Services, "other-admin@example.com", PanelRoles.SuperAdministrator);
        var config = _app.ClientWith(await _app.IssueTokenAsync(creator.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));
        var accountId = await CreateServiceAccountAsync(config, "deploy bot", PanelRoles.ReadOnly);

        // The creator, its first owner, issues a Configuration token for it with their own code, through the REST API.
        var rest = _app.ClientWith(await _app.IssueTokenAsync(creator.Id, ApiType.Rest));
        var issued = await rest.SendAsync(Post($"/api/v1/service-accounts/{accountId}/tokens",
            new { name = "ci", api = "configuration", delegatedRole = PanelRoles.ReadOnly, days = 30 }, FreshCode(creator)));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal("no-store", issued.Headers.CacheControl?.ToString());
        var secret = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        var bot = _app.ClientWith(secret);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/api/config/v1/settings")).StatusCode);
        // It acts with the account's role, Read Only: no writing.
        Assert.Equal(HttpStatusCode.Forbidden, (await bot.PatchAsJsonAsync("/api/config/v1/settings", new { maxLifetimeDays = 10 })).StatusCode);

        // A role beyond the account's is refused, and so is a token for an account one does not own.
        var tooMuch = await rest.SendAsync(Post($"/api/v1/service-accounts/{accountId}/tokens",
            new { name = "admin", api = "configuration", delegatedRole = PanelRoles.SuperAdministrator, days = 30 }, FreshCode(creator)));
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        var stranger = _app.ClientWith(await _app.IssueTokenAsync(otherAdmin.Id, ApiType.Rest));
        var notOwner = await stranger.SendAsync(Post($"/api/v1/service-accounts/{accountId}/tokens",
            new { name = "x", api = "rest", days = 30 }, FreshCode(otherAdmin)));
        Assert.Equal(HttpStatusCode.NotFound, notOwner.StatusCode);

        // The creator is disabled: the account's token keeps working; the account has no active owner left.
        await using (var scope = _app.Scope())
        {
            var disabled = await scope.ServiceProvider.GetRequiredService<UserAccounts>().UpdateAsync(
                await scope.ServiceProvider.SessionAsync(otherAdmin.Id), creator.Id, new UserChange { Active = false });
            Assert.True(disabled.Succeeded, disabled.ToString());
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<Domain.ServiceAccounts.ServiceAccounts>().ScanOwnerlessAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/api/config/v1/settings")).StatusCode);
        var otherConfig = _app.ClientWith(await _app.IssueTokenAsync(otherAdmin.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));
        var listed = await otherConfig.GetFromJsonAsync<JsonElement>("/api/config/v1/service-accounts");
        var account = listed.EnumerateArray().Single(a => a.GetProperty("id").GetString() == accountId);
        Assert.True(account.GetProperty("ownerless").GetBoolean());
        Assert.Equal(1, account.GetProperty("liveTokens").GetInt32());

        // The administrators of users are told once; the account is no SCIM user and no user in the users list.
        var notices = await _app.WithDbAsync(db => db.TokenNotices.Where(n => n.Kind == NoticeKind.AccountOwnerless).Select(n => n.OwnerId).ToListAsync());
        Assert.Equal([otherAdmin.Id], notices);
        var users = await otherConfig.GetFromJsonAsync<JsonElement>("/api/config/v1/users");
        Assert.DoesNotContain(users.EnumerateArray(), u => u.GetProperty("id").GetString() == accountId);

        // The audit names the account and the person who acted.
        var audit = await _app.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.TokenCreated && e.Details.Contains("for service account"))
            .Select(e => new { e.ActorId, e.Details }).SingleAsync());
        Assert.Equal(creator.Id, audit.ActorId);
        Assert.Contains(accountId, audit.Details);

        // An owner added again clears the mark; the account's disabling stops its token at once.
        Assert.Equal(HttpStatusCode.OK, (await otherConfig.PostAsJsonAsync($"/api/config/v1/service-accounts/{accountId}/owners", new { owner = otherAdmin.Email })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherConfig.PostAsync($"/api/config/v1/service-accounts/{accountId}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/api/config/v1/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await otherConfig.DeleteAsync($"/api/config/v1/service-accounts/{accountId}")).StatusCode);
        Assert.Equal(0, await _app.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.OwnerId == accountId && t.RevokedAt == null)));
    }

    [Fact]
    public async Task NobodyOwnsOrIssuesForAServiceAccountMorePowerfulThanThemselves()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(_app.Services, "rank-admin@example.com", PanelRoles.SuperAdministrator);
        var reader = await TestUsers.CreateEnrolledUserAsync(_app.Services, "rank-reader@example.com", PanelRoles.ReadOnly);
        var config = _app.ClientWith(await _app.IssueTokenAsync(admin.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));
        var powerful = await CreateServiceAccountAsync(config, "root bot", PanelRoles.SuperAdministrator);
        var modest = await CreateServiceAccountAsync(config, "report bot", PanelRoles.ReadOnly);

        var refused = await config.PostAsJsonAsync($"/api/config/v1/service-accounts/{powerful}/owners", new { owner = reader.Email });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("owner-outranked", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await config.PostAsJsonAsync($"/api/config/v1/service-accounts/{modest}/owners", new { owner = reader.Email })).StatusCode);

        // The Read Only owner lists and reads only the account they own, and issues within what they hold.
        var readerRest = _app.ClientWith(await _app.IssueTokenAsync(reader.Id, ApiType.Rest));
        var owned = await readerRest.GetFromJsonAsync<JsonElement>("/api/v1/service-accounts");
        Assert.Equal([modest], owned.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await readerRest.GetAsync($"/api/v1/service-accounts/{powerful}")).StatusCode);
        var issued = await readerRest.SendAsync(Post($"/api/v1/service-accounts/{modest}/tokens",
            new { name = "reports", api = "configuration", delegatedRole = PanelRoles.ReadOnly, days = 30 }, FreshCode(reader)));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        // The other owner (the creator) hears of it.
        Assert.True(await _app.WithDbAsync(db => db.TokenNotices.AnyAsync(n => n.OwnerId == admin.Id && n.Kind == NoticeKind.Created)));
    }

    [Fact]
    public async Task AReadOnlyUserIsRefusedAConfigurationTokenWhenThePolicyAllowsOnlySuperAdministrators()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(_app.Services, "policy-admin@example.com", PanelRoles.SuperAdministrator);
        var reader = await TestUsers.CreateEnrolledUserAsync(_app.Services, "reader@example.com", PanelRoles.ReadOnly);
        var config = _app.ClientWith(await _app.IssueTokenAsync(admin.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));

        var put = await config.PutAsJsonAsync("/api/config/v1/token-policies/configuration",
            new { maxLifetimeDays = 30, creatorRoles = new[] { PanelRoles.SuperAdministrator } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var wrong = await config.PutAsJsonAsync("/api/config/v1/token-policies/configuration", new { idleRevocationDays = 7 });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        var refused = await _app.ClientWith(await _app.IssueTokenAsync(reader.Id, ApiType.Rest)).SendAsync(Post("/api/v1/tokens",
            new { name = "config", api = "configuration", delegatedRole = PanelRoles.ReadOnly, days = 10 }, FreshCode(reader)));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("creator-not-allowed", await refused.Content.ReadAsStringAsync());

        var adminRest = _app.ClientWith(await _app.IssueTokenAsync(admin.Id, ApiType.Rest));
        var tooLong = await adminRest.SendAsync(Post("/api/v1/tokens",
            new { name = "config", api = "configuration", delegatedRole = PanelRoles.ReadOnly, days = 31 }, FreshCode(admin)));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("at most 30 days", await tooLong.Content.ReadAsStringAsync());
        var allowed = await adminRest.SendAsync(Post("/api/v1/tokens",
            new { name = "config", api = "configuration", delegatedRole = PanelRoles.ReadOnly, days = 30 }, FreshCode(admin)));
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        // The owner hears of a token made through an API.
        Assert.True(await _app.WithDbAsync(db => db.TokenNotices.AnyAsync(n => n.OwnerId == admin.Id && n.Kind == NoticeKind.Created)));
    }

    [Fact]
    public async Task AddressesRequiredServiceAccountsOnlyAndApprovalOfServiceAccountTokensAreEnforced()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(_app.Services, "rules@example.com", PanelRoles.SuperAdministrator);
        var config = _app.ClientWith(await _app.IssueTokenAsync(admin.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));
        await _app.IssueTokenAsync(admin.Id, ApiType.Rest, name: "anywhere");
        var rest = _app.ClientWith(await _app.IssueTokenAsync(admin.Id, ApiType.Rest, name: "caller"));
        Assert.Equal(HttpStatusCode.OK, (await config.PutAsJsonAsync("/api/config/v1/token-policies/rest", new { addressesRequired = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await config.PutAsJsonAsync("/api/config/v1/token-policies/scim",
            new { creatorRoles = Array.Empty<string>(), approvalForServiceAccounts = true })).StatusCode);

        // REST tokens name their addresses now; the ones from before are over the policy, and go when it is enforced.
        var bare = await rest.SendAsync(Post("/api/v1/tokens", new { name = "bare", api = "rest", days = 10 }, FreshCode(admin)));
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Contains("addresses-required", await bare.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, (await rest.SendAsync(Post("/api/v1/tokens",
            new { name = "fenced", api = "rest", days = 10, allowedAddresses = new[] { "10.0.0.0/8" } }, FreshCode(admin)))).StatusCode);
        var over = (await config.GetFromJsonAsync<JsonElement>("/api/config/v1/token-policies/over-policy")).EnumerateArray()
            .Select(t => (t.GetProperty("name").GetString(), t.GetProperty("willBeRevoked").GetBoolean())).OrderBy(t => t.Item1).ToList();
        Assert.Equal([("anywhere", true), ("caller", true)], over);

        // SCIM tokens: for service accounts only, and theirs wait for approval.
        var scimPerson = await rest.SendAsync(Post("/api/v1/tokens", new { name = "scim", api = "scim", days = 10 }, FreshCode(admin)));
        Assert.Equal(HttpStatusCode.Forbidden, scimPerson.StatusCode);
        Assert.Contains("service accounts only", await scimPerson.Content.ReadAsStringAsync());
        var provisioner = await CreateServiceAccountAsync(config, "okta provisioning", PanelRoles.UserAdministrator);
        var scimAccount = await rest.SendAsync(Post($"/api/v1/service-accounts/{provisioner}/tokens", new { name = "okta", api = "scim", days = 10 }, FreshCode(admin)));
        Assert.Equal(HttpStatusCode.Accepted, scimAccount.StatusCode);
        Assert.Equal(provisioner, (await scimAccount.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ownerId").GetString());

        var enforced = await (await config.PostAsync("/api/config/v1/token-policies/enforce", null)).Content.ReadFromJsonAsync<JsonElement>();
        // The two over it, and "fenced", which was issued with "caller" and goes with it.
        Assert.Equal(3, enforced.GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await rest.GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task ATokenOverAShortenedPolicyIsListedAndBroughtIntoIt()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(_app.Services, "enforcer@example.com", PanelRoles.SuperAdministrator);
        var config = _app.ClientWith(await _app.IssueTokenAsync(admin.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));
        await _app.IssueTokenAsync(admin.Id, ApiType.Rest, days: 90, name: "long");
        await _app.IssueTokenAsync(admin.Id, ApiType.Rest, days: 20, name: "short");
        var created = _app.Time.GetUtcNow().UtcDateTime;

        Assert.Equal(HttpStatusCode.OK, (await config.PutAsJsonAsync("/api/config/v1/token-policies/rest", new { maxLifetimeDays = 30 })).StatusCode);
        var over = await config.GetFromJsonAsync<JsonElement>("/api/config/v1/token-policies/over-policy");
        var listed = Assert.Single(over.EnumerateArray());
        Assert.Equal("long", listed.GetProperty("name").GetString());
        Assert.False(listed.GetProperty("willBeRevoked").GetBoolean());

        var enforced = await (await config.PostAsync("/api/config/v1/token-policies/enforce", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, enforced.GetProperty("shortened").GetInt32());
        var expires = await _app.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == "long").Select(t => t.ExpiresAt).SingleAsync());
        Assert.Equal(created.AddDays(30), expires, TimeSpan.FromSeconds(1));
        Assert.Empty((await config.GetFromJsonAsync<JsonElement>("/api/config/v1/token-policies/over-policy")).EnumerateArray());
    }

    [Fact]
    public async Task ASuperAdministratorConfigurationTokenWaitsForSomeoneElsesApprovalAndItsSecretIsTakenOnce()
    {
        var requester = await TestUsers.CreateEnrolledUserAsync(_app.Services, "requester@example.com", PanelRoles.SuperAdministrator);
        var approver = await TestUsers.CreateEnrolledUserAsync(_app.Services, "approver@example.com", PanelRoles.SuperAdministrator);
        var policyAdmin = await TestUsers.CreateEnrolledUserAsync(_app.Services, "tpa@example.com", PanelRoles.TokenPolicyAdministrator);
        var requesterConfig = _app.ClientWith(await _app.IssueTokenAsync(requester.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));
        Assert.Equal(HttpStatusCode.OK, (await requesterConfig.PutAsJsonAsync("/api/config/v1/token-policies/configuration",
            new { approvalRole = PanelRoles.SuperAdministrator })).StatusCode);

        var rest = _app.ClientWith(await _app.IssueTokenAsync(requester.Id, ApiType.Rest));
        var asked = await rest.SendAsync(Post("/api/v1/tokens",
            new { name = "root", api = "configuration", delegatedRole = PanelRoles.SuperAdministrator, days = 7 }, FreshCode(requester)));
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var pending = await asked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.False(pending.TryGetProperty("secret", out _));
        var id = pending.GetProperty("id").GetString();
        // No secret, no token yet. Only who may decide it hears of it: not the requester, not the outranked Token Policy Administrator.
        Assert.False(await _app.WithDbAsync(db => db.AccessTokens.AnyAsync(t => t.Name == "root")));
        var told = await _app.WithDbAsync(db => db.TokenNotices.Where(n => n.Kind == NoticeKind.RequestWaiting).Select(n => n.OwnerId).ToListAsync());
        Assert.Equal([approver.Id], told);

        // The requester cannot approve it; a Token Policy Administrator may not (the requester outranks them); taking it early gets nothing.
        var own = await requesterConfig.PostAsJsonAsync($"/api/config/v1/token-requests/{id}/approve", new { reason = "mine" });
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("token-request-own", await own.Content.ReadAsStringAsync());
        var tpa = _app.ClientWith(await _app.IssueTokenAsync(policyAdmin.Id, ApiType.Configuration, PanelRoles.TokenPolicyAdministrator));
        Assert.Equal(HttpStatusCode.Forbidden, (await tpa.PostAsJsonAsync($"/api/config/v1/token-requests/{id}/approve", new { reason = "ok" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await rest.SendAsync(Post($"/api/v1/token-requests/{id}/take", null, FreshCode(requester)))).StatusCode);

        var approverConfig = _app.ClientWith(await _app.IssueTokenAsync(approver.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));
        Assert.Single((await approverConfig.GetFromJsonAsync<JsonElement>("/api/config/v1/token-requests")).EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await approverConfig.PostAsJsonAsync($"/api/config/v1/token-requests/{id}/approve", new { reason = " " })).StatusCode);
        var approved = await approverConfig.PostAsJsonAsync($"/api/config/v1/token-requests/{id}/approve", new { reason = "Release night" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await approverConfig.PostAsJsonAsync($"/api/config/v1/token-requests/{id}/deny", new { reason = "late" })).StatusCode);
        Assert.True(await _app.WithDbAsync(db => db.TokenNotices.AnyAsync(n => n.OwnerId == requester.Id && n.Kind == NoticeKind.RequestDecided)));

        // Taken once, with a fresh code; the secret works; a replay gets nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await rest.SendAsync(Post($"/api/v1/token-requests/{id}/take", null))).StatusCode);
        var taken = await rest.SendAsync(Post($"/api/v1/token-requests/{id}/take", null, FreshCode(requester)));
        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        Assert.Equal("no-store", taken.Headers.CacheControl?.ToString());
        var secret = (await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _app.ClientWith(secret).PatchAsJsonAsync("/api/config/v1/settings", new { organizationName = "Approved" })).StatusCode);
        var replay = await rest.SendAsync(Post($"/api/v1/token-requests/{id}/take", null, FreshCode(requester)));
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        var mine = await rest.GetFromJsonAsync<JsonElement>("/api/v1/token-requests");
        Assert.Equal("taken", Assert.Single(mine.EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ARequestNotTakenWithinSevenDaysLapses()
    {
        var requester = await TestUsers.CreateEnrolledUserAsync(_app.Services, "slow@example.com", PanelRoles.SuperAdministrator);
        var approver = await TestUsers.CreateEnrolledUserAsync(_app.Services, "quick@example.com", PanelRoles.SuperAdministrator);
        await using (var scope = _app.Scope())
        {
            var saved = await scope.ServiceProvider.GetRequiredService<TokenPolicies>().SaveAsync(await scope.ServiceProvider.SessionAsync(approver.Id),
                new TokenPolicyChange(ApiType.Scim, null, null, true, false, null, PanelRoles.UserAdministrator, false));
            Assert.True(saved.Succeeded, saved.ToString());
        }
        var rest = _app.ClientWith(await _app.IssueTokenAsync(requester.Id, ApiType.Rest));
        var asked = await rest.SendAsync(Post("/api/v1/tokens", new { name = "scim", api = "scim", days = 7 }, FreshCode(requester)));
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var id = (await asked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var approverConfig = _app.ClientWith(await _app.IssueTokenAsync(approver.Id, ApiType.Configuration, PanelRoles.SuperAdministrator));
        Assert.Equal(HttpStatusCode.OK, (await approverConfig.PostAsJsonAsync($"/api/config/v1/token-requests/{id}/approve", new { reason = "IdP setup" })).StatusCode);

        _app.Time.Advance(TimeSpan.FromDays(7));
        var lapsed = await rest.SendAsync(Post($"/api/v1/token-requests/{id}/take", null, FreshCode(requester)));
        Assert.Equal(HttpStatusCode.Conflict, lapsed.StatusCode);
        Assert.Equal("lapsed", Assert.Single((await rest.GetFromJsonAsync<JsonElement>("/api/v1/token-requests")).EnumerateArray()).GetProperty("status").GetString());
    }
}

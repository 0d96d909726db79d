using System.Net;
using System.Security.Claims;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Api.ExternalTokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Account;
using AccessTokenPanel.Web.Components.Pages.Settings;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Settings;

/// <summary>
/// What the Settings page's validators editor does on the server, called as the circuit calls it:
/// a real <see cref="CircuitActor"/> over the signed-in user's principal, the app's services and
/// database, and a real issuer for the key cache.
/// </summary>
public class ExternalValidatorScreenActionsTests(ApiAppFactory factory, FakeIssuer issuer) : IClassFixture<ApiAppFactory>, IClassFixture<FakeIssuer>
{
    private const string Audience = "access-token-panel";
    private static int _sequence;

    private sealed class SignedIn(ClaimsPrincipal principal) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(principal));
    }

    /// <summary>The editor's actions as the circuit of a freshly signed-in user with these roles would run them.</summary>
    private async Task<(TestUser User, ExternalValidatorScreenActions Actions)> ActingAsync(params string[] roles)
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"validators-{Interlocked.Increment(ref _sequence)}@example.com", roles);
        await using var scope = factory.Scope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<PanelUser>>();
        var principal = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(user.Id))!);
        var scopes = factory.Services.GetRequiredService<IServiceScopeFactory>();
        return (user, new ExternalValidatorScreenActions(new CircuitActor(new SignedIn(principal), scopes), scopes));
    }

    private static string UniqueName() => $"IdP {Interlocked.Increment(ref _sequence)}";

    private static ExternalTokenValidatorInput Input(string name, string issuerUrl, string? jwksUrl = null, bool enabled = true) =>
        new(name, issuerUrl, jwksUrl, Audience, ExternalUserClaims.Email, enabled);

    private Task<ExternalTokenValidator?> StoredAsync(string name) =>
        factory.WithDbAsync(db => db.ExternalTokenValidators.AsNoTracking().SingleOrDefaultAsync(v => v.Name == name));

    [Fact]
    public async Task AnIssuerThatIsNoHttpsUrlIsRefusedWithTheDomainsMessagePerFieldAndNothingIsSaved()
    {
        var (_, actions) = await ActingAsync(PanelRoles.SuperAdministrator);
        var name = UniqueName();

        var errors = await actions.SaveAsync(null, new ExternalTokenValidatorInput(name, "login.example.com", "ftp://keys.example.com", Audience, "email", true));

        Assert.Equal("Enter the issuer as the https URL the tokens carry in iss (http only for localhost).", errors[nameof(ExternalTokenValidatorInput.Issuer)]);
        Assert.StartsWith("Enter the JWKS URL as an https URL", errors[nameof(ExternalTokenValidatorInput.JwksUrl)]);
        Assert.Equal(2, errors.Count);
        Assert.Null(await StoredAsync(name));
    }

    [Fact]
    public async Task AddedEditedAndRemovedValidatorsPersistAndEachChangeIsAudited()
    {
        var (admin, actions) = await ActingAsync(PanelRoles.SuperAdministrator);
        var name = UniqueName();

        Assert.Empty(await actions.SaveAsync(null, Input(name, "https://login.example.com/tenant")));
        var added = await StoredAsync(name);
        Assert.NotNull(added);
        Assert.Contains((await actions.ListAsync())!, v => v.Id == added.Id);

        var renamed = name + " (old)";
        Assert.Empty(await actions.SaveAsync(added.Id, new ExternalTokenValidatorInput(renamed, added.Issuer, "https://login.example.com/keys", "api://other", "sub", false)));
        var edited = await StoredAsync(renamed);
        Assert.NotNull(edited);
        Assert.Equal(added.Id, edited.Id);
        Assert.Equal("https://login.example.com/keys", edited.JwksUrl);
        Assert.Equal("api://other", edited.Audience);
        Assert.Equal(ExternalUserClaim.Subject, edited.UserClaim);
        Assert.False(edited.Enabled);

        var removal = await actions.RemoveAsync(added.Id, renamed);
        Assert.True(removal.Removed, removal.Message);
        Assert.Null(await factory.WithDbAsync(db => db.ExternalTokenValidators.SingleOrDefaultAsync(v => v.Id == added.Id)));
        Assert.False((await actions.RemoveAsync(added.Id, renamed)).Removed);

        var audited = await factory.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.SubjectId == added.Id.ToString()).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditActions.ExternalValidatorCreated, AuditActions.ExternalValidatorUpdated, AuditActions.ExternalValidatorDeleted], audited.Select(e => e.Action));
        Assert.All(audited, e => Assert.Equal(admin.Id, e.ActorId));
        Assert.All(audited, e => Assert.EndsWith(ExternalValidatorScreenActions.Via, e.Details));
    }

    [Fact]
    public async Task AUserWithoutSettingsWriteCannotAddEditOrRemoveEvenWhenTheHandlersAreCalled()
    {
        var (_, admin) = await ActingAsync(PanelRoles.SuperAdministrator);
        var (_, reader) = await ActingAsync(PanelRoles.ReadOnly);
        var name = UniqueName();
        Assert.Empty(await admin.SaveAsync(null, Input(name, "https://login.example.com/tenant")));
        var existing = (await StoredAsync(name))!;

        var added = await reader.SaveAsync(null, Input(UniqueName(), "https://other.example.com"));
        var edited = await reader.SaveAsync(existing.Id, Input(name, "https://evil.example.com"));
        var removed = await reader.RemoveAsync(existing.Id, name);

        Assert.Equal(ExternalValidatorScreenActions.NotAllowed, added[ExternalValidatorScreenActions.FormField]);
        Assert.Equal(ExternalValidatorScreenActions.NotAllowed, edited[ExternalValidatorScreenActions.FormField]);
        Assert.False(removed.Removed);
        var after = await StoredAsync(name);
        Assert.NotNull(after);
        Assert.Equal("https://login.example.com/tenant", after.Issuer);
        Assert.False(await factory.WithDbAsync(db => db.ExternalTokenValidators.AnyAsync(v => v.Issuer == "https://other.example.com")));
        // Reading stays allowed: the read-only view lists the validators.
        Assert.Contains((await reader.ListAsync())!, v => v.Id == existing.Id);
    }

    [Fact]
    public async Task AnAdministratorWhoLostTheRoleMidCircuitCanNoLongerChangeValidators()
    {
        var (user, actions) = await ActingAsync(PanelRoles.SuperAdministrator);
        await using (var scope = factory.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            Assert.True((await users.RemoveFromRoleAsync(stored, PanelRoles.SuperAdministrator)).Succeeded);
        }
        var name = UniqueName();

        var errors = await actions.SaveAsync(null, Input(name, "https://login.example.com/tenant"));

        Assert.True(errors.ContainsKey(ExternalValidatorScreenActions.FormField));
        Assert.Null(await StoredAsync(name));
    }

    [Fact]
    public async Task AnEditOnTheScreenDropsTheCachedKeysSoTheNextJwtFetchesThemAgainAndARemovalRefusesIt()
    {
        var (admin, actions) = await ActingAsync(PanelRoles.SuperAdministrator);
        var name = $"screen-tenant{Interlocked.Increment(ref _sequence)}";
        var tenant = issuer.NewTenant(name);
        Assert.Empty(await actions.SaveAsync(null, Input(name, tenant.Issuer)));
        var id = (await StoredAsync(name))!.Id;
        Task<HttpResponseMessage> CallAsync() =>
            factory.ClientWith(tenant.Sign(factory.Time.GetUtcNow(), Audience, FakeIssuer.Email(admin.Email))).GetAsync("/api/v1/tokens");

        Assert.Equal(HttpStatusCode.OK, (await CallAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync()).StatusCode);
        Assert.Equal(1, tenant.JwksFetches);

        // The clock stands still, so the validator's UpdatedAt does not change: only Forget makes the cache fetch again.
        Assert.Empty(await actions.SaveAsync(id, Input(name, tenant.Issuer, jwksUrl: tenant.JwksUrl)));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync()).StatusCode);
        Assert.Equal(2, tenant.JwksFetches);

        Assert.True((await actions.RemoveAsync(id, name)).Removed);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync()).StatusCode);
    }
}

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
using AccessTokenPanel.Web.Hosting;
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
public class ExternalValidatorScreenActionsTests(ExternalIssuerAppFactory factory, FakeIssuer issuer)
    : IClassFixture<ExternalIssuerAppFactory>, IClassFixture<FakeIssuer>
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

    /// <summary>What the user types into the code field: their app's code, of a step no earlier change used.</summary>
    private string CodeOf(TestUser user)
    {
        factory.NextTotpStep();
        return user.CodeAt(factory.Time.GetUtcNow());
    }

    private static string UniqueName() => $"IdP {Interlocked.Increment(ref _sequence)}";

    private static ExternalTokenValidatorInput Input(string name, string issuerUrl, string? jwksUrl = null, bool enabled = true) =>
        new(name, issuerUrl, jwksUrl, Audience, ExternalUserClaims.Email, enabled);

    private Task<ExternalTokenValidator?> StoredAsync(string name) =>
        factory.WithDbAsync(db => db.ExternalTokenValidators.AsNoTracking().SingleOrDefaultAsync(v => v.Name == name));

    [Fact]
    public async Task AnIssuerThatIsNoHttpsUrlIsRefusedWithTheDomainsMessagePerFieldAndNothingIsSaved()
    {
        var (admin, actions) = await ActingAsync(PanelRoles.SuperAdministrator);
        var name = UniqueName();

        var errors = await actions.SaveAsync(null, new ExternalTokenValidatorInput(name, "login.example.com", "ftp://keys.example.com", Audience, "email", true), CodeOf(admin));

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

        Assert.Empty(await actions.SaveAsync(null, Input(name, "https://login.example.com/tenant"), CodeOf(admin)));
        var added = await StoredAsync(name);
        Assert.NotNull(added);
        Assert.Contains((await actions.ListAsync())!, v => v.Id == added.Id);

        var renamed = name + " (old)";
        Assert.Empty(await actions.SaveAsync(added.Id,
            new ExternalTokenValidatorInput(renamed, added.Issuer, "https://login.example.com/keys", "api://other", "sub", false, PanelRoles.ReadOnly), CodeOf(admin)));
        var edited = await StoredAsync(renamed);
        Assert.NotNull(edited);
        Assert.Equal(added.Id, edited.Id);
        Assert.Equal("https://login.example.com/keys", edited.JwksUrl);
        Assert.Equal("api://other", edited.Audience);
        Assert.Equal(ExternalUserClaim.Subject, edited.UserClaim);
        Assert.False(edited.Enabled);
        Assert.Equal(PanelRoles.ReadOnly, edited.MaxRole);

        var removal = await actions.RemoveAsync(added.Id, renamed, CodeOf(admin));
        Assert.True(removal.Removed, removal.Message);
        Assert.Null(await factory.WithDbAsync(db => db.ExternalTokenValidators.SingleOrDefaultAsync(v => v.Id == added.Id)));
        Assert.False((await actions.RemoveAsync(added.Id, renamed, CodeOf(admin))).Removed);

        var audited = await factory.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.SubjectId == added.Id.ToString()).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditActions.ExternalValidatorCreated, AuditActions.ExternalValidatorUpdated, AuditActions.ExternalValidatorDeleted], audited.Select(e => e.Action));
        Assert.All(audited, e => Assert.Equal(admin.Id, e.ActorId));
        Assert.All(audited, e => Assert.EndsWith(ExternalValidatorScreenActions.Via, e.Details));
    }

    [Fact]
    public async Task AUserWithoutSettingsWriteCannotAddEditOrRemoveEvenWhenTheHandlersAreCalled()
    {
        var (root, admin) = await ActingAsync(PanelRoles.SuperAdministrator);
        var (readerUser, reader) = await ActingAsync(PanelRoles.ReadOnly);
        var name = UniqueName();
        Assert.Empty(await admin.SaveAsync(null, Input(name, "https://login.example.com/tenant"), CodeOf(root)));
        var existing = (await StoredAsync(name))!;

        var added = await reader.SaveAsync(null, Input(UniqueName(), "https://other.example.com"), CodeOf(readerUser));
        var edited = await reader.SaveAsync(existing.Id, Input(name, "https://evil.example.com"), CodeOf(readerUser));
        var removed = await reader.RemoveAsync(existing.Id, name, CodeOf(readerUser));

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

        var errors = await actions.SaveAsync(null, Input(name, "https://login.example.com/tenant"), CodeOf(user));

        Assert.True(errors.ContainsKey(ExternalValidatorScreenActions.FormField));
        Assert.Null(await StoredAsync(name));
    }

    [Fact]
    public async Task AnEditOnTheScreenDropsTheCachedKeysSoTheNextJwtFetchesThemAgainAndARemovalRefusesIt()
    {
        var (admin, actions) = await ActingAsync(PanelRoles.SuperAdministrator);
        var name = $"screen-tenant{Interlocked.Increment(ref _sequence)}";
        var tenant = issuer.NewTenant(name);
        // The clock stands still: each change uses the next of the three steps a code may be from (the
        // previous, the current, the next), so the validator's UpdatedAt does not change.
        var now = factory.Time.GetUtcNow();
        Assert.Empty(await actions.SaveAsync(null, Input(name, tenant.Issuer), admin.CodeAt(now.AddSeconds(-30))));
        var id = (await StoredAsync(name))!.Id;
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"{name}@example.com");
        Task<HttpResponseMessage> CallAsync() =>
            factory.ClientWith(tenant.Sign(factory.Time.GetUtcNow(), Audience, FakeIssuer.Email(user.Email))).GetAsync("/api/v1/tokens");

        Assert.Equal(HttpStatusCode.OK, (await CallAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync()).StatusCode);
        Assert.Equal(1, tenant.JwksFetches);

        // UpdatedAt is unchanged, so only Forget makes the cache fetch again.
        Assert.Empty(await actions.SaveAsync(id, Input(name, tenant.Issuer, jwksUrl: tenant.JwksUrl), admin.CodeAt(now)));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync()).StatusCode);
        Assert.Equal(2, tenant.JwksFetches);

        Assert.True((await actions.RemoveAsync(id, name, admin.CodeAt(now.AddSeconds(30)))).Removed);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync()).StatusCode);
    }

    [Fact]
    public async Task ATokenPolicyAdministratorCannotAddEditOrRemoveValidatorsAndIsNotOfferedTo()
    {
        var (root, admin) = await ActingAsync(PanelRoles.SuperAdministrator);
        var (policyAdmin, actions) = await ActingAsync(PanelRoles.TokenPolicyAdministrator);
        var name = UniqueName();
        Assert.Empty(await admin.SaveAsync(null, Input(name, "https://login.example.com/tenant"), CodeOf(root)));
        var existing = (await StoredAsync(name))!;

        var added = await actions.SaveAsync(null, Input(UniqueName(), "https://idp.attacker.example"), CodeOf(policyAdmin));
        var edited = await actions.SaveAsync(existing.Id, Input(name, "https://idp.attacker.example"), CodeOf(policyAdmin));
        var removed = await actions.RemoveAsync(existing.Id, name, CodeOf(policyAdmin));

        Assert.StartsWith("Only a holder of every permission", added[ExternalValidatorScreenActions.FormField]);
        Assert.StartsWith("Only a holder of every permission", edited[ExternalValidatorScreenActions.FormField]);
        Assert.False(removed.Removed);
        Assert.Equal("https://login.example.com/tenant", (await StoredAsync(name))!.Issuer);
        Assert.False(await factory.WithDbAsync(db => db.ExternalTokenValidators.AnyAsync(v => v.Issuer == "https://idp.attacker.example")));
        Assert.Empty(await actions.ChangeableWithRolesAsync());
        Assert.Equal(PanelRoles.All.Select(r => r.Name), (await admin.ChangeableWithRolesAsync()).Select(r => r.Name));
    }

    [Fact]
    public async Task EveryChangeOnTheScreenNeedsTheCurrentCodeAndAWrongOneChangesNothing()
    {
        var (root, actions) = await ActingAsync(PanelRoles.SuperAdministrator);
        var name = UniqueName();

        var withoutCode = await actions.SaveAsync(null, Input(name, "https://login.example.com/tenant"), code: " ");
        var wrongCode = await actions.SaveAsync(null, Input(name, "https://login.example.com/tenant"), "000000");
        // A bad field and no code: both are said at once, and the code was not looked at.
        var badAndNoCode = await actions.SaveAsync(null, Input(name, "login.example.com"), code: null);

        Assert.StartsWith("Enter the current 6-digit code", withoutCode[ExternalValidatorScreenActions.CodeField]);
        Assert.StartsWith("That code is not right", wrongCode[ExternalValidatorScreenActions.CodeField]);
        Assert.Equal([nameof(ExternalTokenValidatorInput.Issuer), ExternalValidatorScreenActions.CodeField], badAndNoCode.Keys.Order());
        Assert.Null(await StoredAsync(name));

        Assert.Empty(await actions.SaveAsync(null, Input(name, "https://login.example.com/tenant"), CodeOf(root)));
        var id = (await StoredAsync(name))!.Id;
        var removal = await actions.RemoveAsync(id, name, code: "");
        Assert.False(removal.Removed);
        Assert.StartsWith("Enter the current 6-digit code", removal.CodeError);
        // A code used once does not work again.
        var code = CodeOf(root);
        Assert.True((await actions.RemoveAsync(id, name, code)).Removed);
        Assert.Empty(await actions.SaveAsync(null, Input(UniqueName(), "https://login.example.com/other"), CodeOf(root)));
        Assert.StartsWith("That code was already used",
            (await actions.SaveAsync(null, Input(UniqueName(), "https://login.example.com/third"), code))[ExternalValidatorScreenActions.CodeField]);
    }
}

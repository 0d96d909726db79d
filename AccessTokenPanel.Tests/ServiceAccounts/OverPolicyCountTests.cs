using System.Security.Cryptography;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Components.Pages.Overview;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.ServiceAccounts;

/// <summary>
/// The Overview's "over policy" figure is counted by the database; it must be the length of the
/// list it links to, and both must put a token over its policy only when it outlives the bound by
/// more than <see cref="TokenPolicies.Margin"/>: not at the bound, nor a microsecond or a
/// millisecond past it (the ticks between two clock readings), but a millisecond past the margin,
/// where SQL date arithmetic of each provider must still tell them apart.
/// </summary>
public class OverPolicyCountTests(DatabaseProvider provider = DatabaseProvider.Sqlite) : IAsyncLifetime
{
    private readonly ApiAppFactory _app = provider == DatabaseProvider.PostgreSql ? new Persistence.PostgreSqlApiAppFactory() : new ApiAppFactory();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TheCountIsTheListsLengthRightAtTheBoundAndAroundIt()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(_app.Services, "bounds@example.test", PanelRoles.SuperAdministrator);
        // Created a little after a whole second, as a real clock would (to the microsecond: PostgreSQL keeps no more).
        var created = _app.Time.GetUtcNow().UtcDateTime.AddDays(-10).AddTicks(1_234_560);
        var lifetimes = new (string Name, ApiType Api, TimeSpan Lifetime, string[]? Addresses, bool Over)[]
        {
            ("at the bound", ApiType.Rest, TimeSpan.FromDays(90), null, false),
            ("a microsecond over", ApiType.Rest, TimeSpan.FromDays(90) + TimeSpan.FromMicroseconds(1), null, false),
            ("a millisecond over", ApiType.Rest, TimeSpan.FromDays(90) + TimeSpan.FromMilliseconds(1), null, false),
            ("a millisecond short of the margin", ApiType.Rest, TimeSpan.FromDays(90) + TokenPolicies.Margin - TimeSpan.FromMilliseconds(1), null, false),
            ("a millisecond past the margin", ApiType.Rest, TimeSpan.FromDays(90) + TokenPolicies.Margin + TimeSpan.FromMilliseconds(1), null, true),
            ("a millisecond under", ApiType.Rest, TimeSpan.FromDays(90) - TimeSpan.FromMilliseconds(1), null, false),
            ("12 hours over", ApiType.Rest, TimeSpan.FromDays(90.5), null, true),
            ("a day under", ApiType.Rest, TimeSpan.FromDays(89), null, false),
            ("a year", ApiType.Rest, TimeSpan.FromDays(365), null, true),
            ("SCIM without addresses", ApiType.Scim, TimeSpan.FromDays(30), null, true),
            ("SCIM with addresses", ApiType.Scim, TimeSpan.FromDays(30), ["10.0.0.0/8"], false),
            ("SCIM with addresses, too long", ApiType.Scim, TimeSpan.FromDays(400), ["10.0.0.0/8"], true),
            ("Configuration, general maximum", ApiType.Configuration, TimeSpan.FromDays(365), null, false),
        };
        await using (var scope = _app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
            db.TokenPolicies.Add(new TokenPolicy { ApiType = ApiType.Rest, MaxLifetimeDays = 90, UpdatedAt = created });
            db.TokenPolicies.Add(new TokenPolicy { ApiType = ApiType.Scim, AddressesRequired = true, UpdatedAt = created });
            foreach (var (name, api, lifetime, addresses, _) in lifetimes)
            {
                db.AccessTokens.Add(new AccessToken
                {
                    Id = Guid.CreateVersion7(), OwnerId = owner.Id, Name = name, ApiType = api,
                    DelegatedRole = api == ApiType.Configuration ? "Read Only" : null,
                    SecretHash = RandomNumberGenerator.GetBytes(32), Hint = "atp_…abcd",
                    CreatedAt = created, ExpiresAt = created + lifetime,
                    AllowedAddresses = addresses is null ? null : string.Join(',', addresses),
                });
            }
            await db.SaveChangesAsync();
        }

        await using var reading = _app.Scope();
        var policies = reading.ServiceProvider.GetRequiredService<TokenPolicies>();
        var listed = await policies.ListOverPolicyAsync();
        Assert.Equal(lifetimes.Where(l => l.Over).Select(l => l.Name).Order(), listed.Select(t => t.Name).Order());
        Assert.Equal(listed.Count, await policies.CountOverPolicyAsync());

        // The Overview counts it in its own pass over the live tokens, as the owner (an inventory holder) sees it.
        var user = await reading.ServiceProvider.GetRequiredService<UserManager<PanelUser>>().FindByIdAsync(owner.Id);
        var principal = await reading.ServiceProvider.GetRequiredService<SignInManager<PanelUser>>().CreateUserPrincipalAsync(user!);
        ((IHostEnvironmentAuthenticationStateProvider)reading.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        var overview = await reading.ServiceProvider.GetRequiredService<OverviewReader>().ReadAsync();
        Assert.Equal(listed.Count, overview?.Estate?.OverPolicy);
    }
}

using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Tokens;

public class TokenValidatorTests : IAsyncLifetime
{
    private readonly CommandCapture _capture = new();
    private readonly SqliteTestDatabase _db;

    public TokenValidatorTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same cases on another provider (see Persistence/PostgreSqlSuites.cs).</summary>
    protected TokenValidatorTests(DatabaseProvider provider) => _db = new(provider, _capture);
    private string _ownerId = "";

    public async Task InitializeAsync() =>
        _ownerId = (await _db.AddUserAsync("owner@example.com", PanelRoles.SuperAdministrator)).Id;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<IssueTokenResult> IssueAsync(ApiType api, int days = 30)
    {
        await using var scope = _db.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenIssuer>().IssueAsync(new IssueTokenRequest(
            _ownerId, $"{api}-{Guid.NewGuid():N}", api, api == ApiType.Configuration ? PanelRoles.ReadOnly : null, TokenExpiry.InDays(days)));
        Assert.True(result.Succeeded, result.ToString());
        return result;
    }

    private async Task<TokenValidationResult> ValidateAsync(string? secret, ApiType api)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<TokenValidator>().ValidateAsync(secret, api);
    }

    [Theory]
    [InlineData(ApiType.Configuration)]
    [InlineData(ApiType.Scim)]
    [InlineData(ApiType.Rest)]
    public async Task IssuedSecretIsValidForItsOwnApiOnly(ApiType api)
    {
        var issued = await IssueAsync(api);

        var result = await ValidateAsync(issued.Secret, api);
        Assert.Equal(TokenValidationStatus.Valid, result.Status);
        Assert.Equal(issued.Token!.Id, result.Token!.Id);
        Assert.Equal(_ownerId, result.Token.OwnerId);

        foreach (var other in ApiTypes.All.Where(a => a != api))
        {
            Assert.Equal(TokenValidationStatus.WrongApi, (await ValidateAsync(issued.Secret, other)).Status);
        }
    }

    [Theory]
    [InlineData(null, TokenValidationStatus.Missing)]
    [InlineData("", TokenValidationStatus.Missing)]
    [InlineData("not-a-token", TokenValidationStatus.Malformed)]
    [InlineData("atp_rest_short", TokenValidationStatus.Malformed)]
    public async Task GarbageIsRefusedWithItsReason(string? presented, TokenValidationStatus expected)
    {
        Assert.Equal(expected, (await ValidateAsync(presented, ApiType.Rest)).Status);
    }

    [Fact]
    public async Task ChecksumBrokenSecretIsRefused()
    {
        var secret = (await IssueAsync(ApiType.Rest)).Secret!;
        var altered = secret[..12] + (secret[12] == 'x' ? 'y' : 'x') + secret[13..];
        Assert.Equal(TokenValidationStatus.ChecksumMismatch, (await ValidateAsync(altered, ApiType.Rest)).Status);
    }

    [Fact]
    public async Task WellFormedButNeverIssuedSecretIsUnknown()
    {
        Assert.Equal(TokenValidationStatus.Unknown, (await ValidateAsync(TokenSecret.Generate(ApiType.Rest), ApiType.Rest)).Status);
    }

    [Fact]
    public async Task SecretStopsWorkingTheMomentItExpires()
    {
        var secret = (await IssueAsync(ApiType.Rest, days: 2)).Secret;

        _db.Time.Advance(TimeSpan.FromDays(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(TokenValidationStatus.Valid, (await ValidateAsync(secret, ApiType.Rest)).Status);

        _db.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenValidationStatus.Expired, (await ValidateAsync(secret, ApiType.Rest)).Status);
    }

    [Fact]
    public async Task RevokedSecretIsRefused()
    {
        var issued = await IssueAsync(ApiType.Scim);
        await using (var scope = _db.Scope())
        {
            Assert.Equal(RevokeOutcome.Revoked,
                await scope.ServiceProvider.RevokeAsAsync(issued.Token!.Id, _ownerId));
        }
        Assert.Equal(TokenValidationStatus.Revoked, (await ValidateAsync(issued.Secret, ApiType.Scim)).Status);
    }

    [Fact]
    public async Task DisabledOwnersSecretIsRefusedAndWorksAgainWhenEnabled()
    {
        var secret = (await IssueAsync(ApiType.Rest)).Secret;
        await SetDisabledAsync(true);
        Assert.Equal(TokenValidationStatus.OwnerDisabled, (await ValidateAsync(secret, ApiType.Rest)).Status);
        await SetDisabledAsync(false);
        Assert.Equal(TokenValidationStatus.Valid, (await ValidateAsync(secret, ApiType.Rest)).Status);
    }

    [Fact]
    public async Task TheOwnersPermissionsComeInTheSameStatementAsTheTokenAndFollowEveryRoleChangeAtOnce()
    {
        var secret = (await IssueAsync(ApiType.Scim)).Secret;
        await _db.AddUserAsync("every-role@example.com", [.. PanelRoles.All.Select(r => r.Name)]);
        // Each role alone, two together, and none: always exactly the union of the roles held now.
        IEnumerable<string[]> holdings = [.. PanelRoles.All.Select(r => new[] { r.Name }),
            [PanelRoles.ReadOnly, PanelRoles.TokenPolicyAdministrator], [PanelRoles.UserAdministrator, PanelRoles.TokenPolicyAdministrator], []];
        foreach (var roles in holdings)
        {
            await SetRolesAsync(roles);
            _capture.Clear();

            var result = await ValidateAsync(secret, ApiType.Scim);

            Assert.Equal(TokenValidationStatus.Valid, result.Status);
            Assert.Equal(PanelRoles.PermissionsOf(roles).Order(), result.OwnerPermissions.Order());
            Assert.Single(_capture.Commands);
        }
    }

    private async Task SetRolesAsync(string[] roles)
    {
        await using var scope = _db.Scope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AccessTokenPanel.Domain.Users.PanelUser>>();
        var user = await users.FindByIdAsync(_ownerId);
        Assert.True((await users.RemoveFromRolesAsync(user!, await users.GetRolesAsync(user!))).Succeeded);
        Assert.True((await users.AddToRolesAsync(user!, roles)).Succeeded);
    }

    private async Task SetDisabledAsync(bool disabled)
    {
        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        (await db.Users.SingleAsync(u => u.Id == _ownerId)).IsDisabled = disabled;
        await db.SaveChangesAsync();
    }
}

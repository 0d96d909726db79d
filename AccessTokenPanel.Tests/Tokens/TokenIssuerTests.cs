using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Tokens;

public class TokenIssuerTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _db;

    public TokenIssuerTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same cases on another provider (see Persistence/PostgreSqlSuites.cs).</summary>
    protected TokenIssuerTests(DatabaseProvider provider) => _db = new(provider);
    private string _adminId = "";

    public async Task InitializeAsync() =>
        _adminId = (await _db.AddUserAsync("admin@example.com", PanelRoles.SuperAdministrator)).Id;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<IssueTokenResult> IssueAsync(IssueTokenRequest request)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<TokenIssuer>().IssueAsync(request);
    }

    private IssueTokenRequest Rest(string? name = "ci", TokenExpiry? expiry = null, string? role = null) =>
        new(_adminId, name, ApiType.Rest, role, expiry ?? TokenExpiry.InDays(90));

    private static DomainError SingleError(IssueTokenResult result)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Secret);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public async Task IssuedTokenKeepsOnlyTheHashAndHint()
    {
        var result = await IssueAsync(Rest("  deploy bot  "));

        Assert.True(result.Succeeded);
        var token = result.Token!;
        Assert.Equal("deploy bot", token.Name);
        Assert.Equal(TokenSecret.Hash(result.Secret!), token.SecretHash);
        Assert.Equal(TokenSecret.Hint(result.Secret!), token.Hint);
        Assert.Equal(_db.Time.GetUtcNow().UtcDateTime, token.CreatedAt);
        Assert.Equal(_db.Time.GetUtcNow().UtcDateTime.AddDays(90), token.ExpiresAt);
        Assert.Null(token.DelegatedRole);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task EmptyNameIsRefused(string? name)
    {
        Assert.Equal(TokenErrorCodes.NameRequired, SingleError(await IssueAsync(Rest(name))).Code);
    }

    [Fact]
    public async Task NameLongerThanTheMaximumIsRefused()
    {
        Assert.True((await IssueAsync(Rest(new string('n', TokenRules.MaxNameLength)))).Succeeded);
        var error = SingleError(await IssueAsync(Rest(new string('n', TokenRules.MaxNameLength + 1))));
        Assert.Equal(TokenErrorCodes.NameTooLong, error.Code);
        Assert.Equal(TokenFields.Name, error.Field);
    }

    [Fact]
    public async Task DuplicateActiveNameOfTheSameOwnerIsRefused()
    {
        Assert.True((await IssueAsync(Rest("ci"))).Succeeded);
        Assert.Equal(TokenErrorCodes.NameTaken, SingleError(await IssueAsync(Rest(" ci "))).Code);
    }

    [Fact]
    public async Task SameNameIsFreeForAnotherOwnerAndAfterRevocationOrExpiry()
    {
        var other = await _db.AddUserAsync("other@example.com", PanelRoles.ReadOnly);
        var first = await IssueAsync(Rest("ci", TokenExpiry.InDays(1)));
        Assert.True((await IssueAsync(new IssueTokenRequest(other.Id, "ci", ApiType.Rest, null, TokenExpiry.InDays(5)))).Succeeded);

        _db.Time.Advance(TimeSpan.FromDays(1));
        Assert.True((await IssueAsync(Rest("ci"))).Succeeded, "the first 'ci' has expired");

        await using (var scope = _db.Scope())
        {
            var current = await scope.ServiceProvider.GetRequiredService<PanelDbContext>().AccessTokens
                .SingleAsync(t => t.OwnerId == _adminId && t.Name == "ci" && t.Id != first.Token!.Id);
            await scope.ServiceProvider.RevokeAsAsync(current.Id, _adminId);
        }
        Assert.True((await IssueAsync(Rest("ci"))).Succeeded, "the second 'ci' was revoked");
    }

    [Fact]
    public async Task ConfigurationTokenNeedsADelegatedRole()
    {
        var error = SingleError(await IssueAsync(new IssueTokenRequest(_adminId, "cfg", ApiType.Configuration, null, TokenExpiry.InDays(30))));
        Assert.Equal(TokenErrorCodes.RoleRequired, error.Code);
        Assert.Equal(TokenFields.Role, error.Field);
    }

    [Theory]
    [InlineData(ApiType.Scim)]
    [InlineData(ApiType.Rest)]
    public async Task RoleIsRefusedForOtherApis(ApiType api)
    {
        var error = SingleError(await IssueAsync(new IssueTokenRequest(_adminId, "x", api, PanelRoles.ReadOnly, TokenExpiry.InDays(30))));
        Assert.Equal(TokenErrorCodes.RoleNotApplicable, error.Code);
    }

    [Fact]
    public async Task ConfigurationTokenCarriesItsRole()
    {
        var result = await IssueAsync(new IssueTokenRequest(_adminId, "cfg", ApiType.Configuration, PanelRoles.ReadOnly, TokenExpiry.InDays(30)));
        Assert.Equal(PanelRoles.ReadOnly, result.Token!.DelegatedRole);
        Assert.StartsWith("atp_cfg_", result.Secret);
    }

    [Fact]
    public async Task UnknownRoleIsRefused()
    {
        var error = SingleError(await IssueAsync(new IssueTokenRequest(_adminId, "cfg", ApiType.Configuration, "Root", TokenExpiry.InDays(30))));
        Assert.Equal(TokenErrorCodes.RoleUnknown, error.Code);
    }

    [Fact]
    public async Task RoleWhosePermissionsTheOwnerLacksCannotBeDelegated()
    {
        var userAdmin = await _db.AddUserAsync("users@example.com", PanelRoles.UserAdministrator);

        var refused = await IssueAsync(new IssueTokenRequest(userAdmin.Id, "cfg", ApiType.Configuration, PanelRoles.SuperAdministrator, TokenExpiry.InDays(30)));
        Assert.Equal(TokenErrorCodes.RoleNotDelegable, SingleError(refused).Code);

        var allowed = await IssueAsync(new IssueTokenRequest(userAdmin.Id, "cfg", ApiType.Configuration, PanelRoles.UserAdministrator, TokenExpiry.InDays(30)));
        Assert.True(allowed.Succeeded);
    }

    [Fact]
    public async Task ScimTokenNeedsThePermissionToManageUsers()
    {
        var reader = await _db.AddUserAsync("reader@example.com", PanelRoles.ReadOnly);
        var refused = await IssueAsync(new IssueTokenRequest(reader.Id, "idp", ApiType.Scim, null, TokenExpiry.InDays(30)));
        Assert.Equal(TokenErrorCodes.ApiNotPermitted, SingleError(refused).Code);
        Assert.True((await IssueAsync(new IssueTokenRequest(_adminId, "idp", ApiType.Scim, null, TokenExpiry.InDays(30)))).Succeeded);
    }

    [Fact]
    public async Task UndefinedApiTypeIsRefused()
    {
        var error = SingleError(await IssueAsync(new IssueTokenRequest(_adminId, "x", (ApiType)42, null, TokenExpiry.InDays(30))));
        Assert.Equal(TokenErrorCodes.ApiUnknown, error.Code);
    }

    [Fact]
    public async Task ApiTypeTheSettingsDisallowIsRefused()
    {
        await using (var scope = _db.Scope())
        {
            var settings = await scope.ServiceProvider.GetRequiredService<SettingsStore>().GetAsync();
            settings.RestApiEnabled = false;
            await scope.ServiceProvider.GetRequiredService<PanelDbContext>().SaveChangesAsync();
        }
        Assert.Equal(TokenErrorCodes.ApiDisabled, SingleError(await IssueAsync(Rest())).Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task DaysBelowOneAreRefused(int days)
    {
        Assert.Equal(TokenErrorCodes.DaysOutOfRange, SingleError(await IssueAsync(Rest(expiry: TokenExpiry.InDays(days)))).Code);
    }

    [Fact]
    public async Task PastDateIsRefused()
    {
        var yesterday = DateOnly.FromDateTime(_db.Time.GetUtcNow().UtcDateTime).AddDays(-1);
        Assert.Equal(TokenErrorCodes.DateInPast, SingleError(await IssueAsync(Rest(expiry: TokenExpiry.OnDate(yesterday)))).Code);
    }

    [Fact]
    public async Task ExpiryBeyondTheOperatorsMaximumIsRefused()
    {
        await using (var scope = _db.Scope())
        {
            var settings = await scope.ServiceProvider.GetRequiredService<SettingsStore>().GetAsync();
            settings.MaxLifetimeDays = 183;
            await scope.ServiceProvider.GetRequiredService<PanelDbContext>().SaveChangesAsync();
        }
        Assert.Equal(TokenErrorCodes.ExpiryBeyondMaximum, SingleError(await IssueAsync(Rest(expiry: TokenExpiry.InDays(365)))).Code);
        Assert.True((await IssueAsync(Rest(expiry: TokenExpiry.InDays(183)))).Succeeded);
    }

    [Fact]
    public async Task EveryMistakeIsReportedAtOnce()
    {
        var result = await IssueAsync(new IssueTokenRequest(_adminId, "", ApiType.Configuration, null, TokenExpiry.InDays(0)));
        Assert.Equal(
            [TokenErrorCodes.NameRequired, TokenErrorCodes.RoleRequired, TokenErrorCodes.DaysOutOfRange],
            result.Errors.Select(e => e.Code));
    }

    [Fact]
    public async Task DisabledOrUnknownOwnerGetsNoToken()
    {
        Assert.Equal(TokenErrorCodes.OwnerUnknown,
            SingleError(await IssueAsync(new IssueTokenRequest("nobody", "x", ApiType.Rest, null, TokenExpiry.InDays(1)))).Code);

        await using (var scope = _db.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
            (await db.Users.SingleAsync(u => u.Id == _adminId)).IsDisabled = true;
            await db.SaveChangesAsync();
        }
        Assert.Equal(TokenErrorCodes.OwnerDisabled, SingleError(await IssueAsync(Rest())).Code);
    }

    [Fact]
    public async Task IssuingIsAuditedWithoutTheSecret()
    {
        var result = await IssueAsync(Rest("audited"));

        await using var scope = _db.Scope();
        var entry = await scope.ServiceProvider.GetRequiredService<PanelDbContext>().AuditEntries.SingleAsync();
        Assert.Equal(AuditActions.TokenCreated, entry.Action);
        Assert.Equal(_adminId, entry.ActorId);
        Assert.Equal(result.Token!.Id.ToString(), entry.SubjectId);
        Assert.Equal(_db.Time.GetUtcNow().UtcDateTime, entry.OccurredAt);
        Assert.Contains("audited", entry.Details);
        Assert.DoesNotContain(result.Secret!, entry.Details);
        Assert.DoesNotContain(result.Secret![9..30], entry.Details);
    }

    [Fact]
    public async Task RefusedRequestWritesNothing()
    {
        await IssueAsync(Rest(""));

        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        Assert.Equal(0, await db.AccessTokens.CountAsync());
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }
}

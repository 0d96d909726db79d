using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Tokens;

/// <summary>
/// On SQLite the app reads the bearer check's row with a prepared statement instead of EF; it must
/// give exactly what EF gives, for every column, and see changes at once.
/// </summary>
public sealed class TokenLookupTests : IAsyncLifetime
{
    private readonly ApiAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private async Task<(TokenLookupRow? Prepared, TokenLookupRow? Ef)> BothAsync(byte[] hash)
    {
        await using var scope = _factory.Scope();
        var lookup = scope.ServiceProvider.GetRequiredService<ITokenLookup>();
        Assert.Equal("SqliteTokenLookup", lookup.GetType().Name);
        var ef = new EfTokenLookup(scope.ServiceProvider.GetRequiredService<PanelDbContext>());
        return (await lookup.FindByHashAsync(hash), await ef.FindByHashAsync(hash));
    }

    [Fact]
    public async Task ThePreparedLookupReadsEveryColumnAsEfDoesAndSeesARevocationAtOnce()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "lookup@example.test", PanelRoles.SuperAdministrator);
        var secret = await _factory.IssueTokenAsync(owner.Id, ApiType.Configuration, PanelRoles.ReadOnly, name: "lookup");
        var hash = TokenSecret.Hash(secret);
        // Every nullable column gets a value, so that each is read and converted at least once.
        var usedAt = new DateTime(2026, 11, 20, 8, 30, 15, DateTimeKind.Utc).AddTicks(1234567);
        var parent = Guid.NewGuid();
        await _factory.WithDbAsync(db => db.AccessTokens.Where(t => t.SecretHash == hash).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.LastUsedAt, usedAt)
            .SetProperty(t => t.LastUsedFrom, "2001:db8::7")
            .SetProperty(t => t.ParentTokenId, parent)));

        var (prepared, ef) = await BothAsync(hash);

        Assert.NotNull(prepared);
        Assert.NotNull(ef);
        foreach (var property in typeof(AccessToken).GetProperties())
        {
            Assert.True(Equals(property.GetValue(ef.Token), property.GetValue(prepared.Token))
                || (property.GetValue(ef.Token) is byte[] a && property.GetValue(prepared.Token) is byte[] b && a.SequenceEqual(b)),
                $"{property.Name}: EF {property.GetValue(ef.Token)}, prepared {property.GetValue(prepared.Token)}");
        }
        Assert.Equal(DateTimeKind.Utc, prepared.Token.ExpiresAt.Kind);
        Assert.Equal(usedAt, prepared.Token.LastUsedAt);
        Assert.Equal(parent, prepared.Token.ParentTokenId);
        Assert.Equal(PanelRoles.ReadOnly, prepared.Token.DelegatedRole);
        Assert.Equal(ApiType.Configuration, prepared.Token.ApiType);
        Assert.Equal(ef with { Token = prepared.Token }, prepared);
        Assert.Equal(PanelRoles.Find(PanelRoles.SuperAdministrator)!.Permissions.Order(), prepared.OwnerPermissions.Order());

        // Changes count on the very next call: revoked, owner disabled, direct calls switched off.
        await _factory.WithDbAsync(async db =>
        {
            await db.AccessTokens.Where(t => t.SecretHash == hash).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, usedAt));
            await db.Users.Where(u => u.Id == owner.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true));
            return await db.Settings.ExecuteUpdateAsync(s => s.SetProperty(x => x.ConfigurationApiDirectCalls, false));
        });
        (prepared, ef) = await BothAsync(hash);
        Assert.Equal(usedAt, prepared!.Token.RevokedAt);
        Assert.True(prepared.OwnerDisabled);
        Assert.False(prepared.ConfigurationDirect);
        Assert.True(prepared.RestDirect);
        Assert.Equal(ef! with { Token = prepared.Token }, prepared);

        Assert.Null((await BothAsync(new byte[32])).Prepared);
    }
}

using System.Security.Cryptography;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Passkeys;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Sessions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Passkeys;

/// <summary>
/// The passkey rules of Domain (limit, names, step-up, reset) on the real app and its SQLite file.
/// The passkeys are stored as Identity stores a verified one; the WebAuthn ceremonies themselves are
/// covered in Chromium by <see cref="PasskeyBrowserTests"/>.
/// </summary>
public sealed class PasskeyAccountsTests : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task ResettingTheSecondFactorRemovesEveryPasskeyAndEndsTheSessions()
    {
        var admin = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "admin@example.test", PanelRoles.SuperAdministrator);
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "ada@example.test", PanelRoles.ReadOnly);
        await StorePasskeyAsync(user.Id);
        await StorePasskeyAsync(user.Id);
        await using (var scope = _factory.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<SessionRegistry>().StartAsync(user.Id, SessionStage.SignedIn, "203.0.113.7", SignInMethods.Passkey);
            Assert.Equal(2, (await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync()).Single(u => u.Id == user.Id).Passkeys);
        }

        await using (var scope = _factory.Scope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().ResetSecondFactorAsync(admin.Id, user.Id);
            Assert.True(result.Succeeded, result.Message);
        }

        Assert.Equal(0, await _factory.WithDbAsync(db => db.Set<IdentityUserPasskey<string>>().CountAsync(p => p.UserId == user.Id)));
        Assert.Equal(0, await _factory.WithDbAsync(db => db.PasskeyLastUses.CountAsync(p => p.UserId == user.Id)));
        Assert.Equal(0, await _factory.WithDbAsync(db => db.UserSessions.CountAsync(s => s.UserId == user.Id && s.EndedAt == null)));
        var details = await _factory.WithDbAsync(db => db.AuditEntries
            .Where(e => e.Action == AuditActions.UserTwoFactorReset && e.SubjectId == user.Id).Select(e => e.Details).SingleAsync());
        Assert.Contains("2 passkey(s) removed", details);
        Assert.Contains("1 session(s) ended", details);
    }

    [Fact]
    public async Task AnEleventhPasskeyIsRefusedBeforeTheCodeIsSpent()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "grace@example.test", PanelRoles.ReadOnly);
        for (var i = 0; i < PasskeyAccounts.MaxPerUser; i++)
        {
            await StorePasskeyAsync(user.Id);
        }
        _factory.Time.Advance(TimeSpan.FromSeconds(30));
        var code = user.CodeAt(_factory.Time.GetUtcNow());

        await using var scope = _factory.Scope();
        var passkeys = scope.ServiceProvider.GetRequiredService<PasskeyAccounts>();
        var result = await passkeys.AddAsync(await scope.ServiceProvider.SessionAsync(user.Id, code), NewPasskey(), "Eleventh");

        Assert.Equal(PasskeyErrors.TooMany, result.Error);
        // The code was not looked at, so it still works for something else.
        Assert.Null(await scope.ServiceProvider.GetRequiredService<StepUpVerifier>().VerifyAsync(await scope.ServiceProvider.SessionAsync(user.Id, code)));
    }

    [Fact]
    public async Task APasskeyIsAddedOnlyWithARightCodeAndAVerifiedUser()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "linus@example.test", PanelRoles.ReadOnly);
        await using var scope = _factory.Scope();
        var passkeys = scope.ServiceProvider.GetRequiredService<PasskeyAccounts>();

        Assert.Equal(StepUpErrors.CodeRequired, (await passkeys.AddAsync(await scope.ServiceProvider.SessionAsync(user.Id), NewPasskey(), null)).Error.Code);
        Assert.Equal(StepUpErrors.CodeInvalid, (await passkeys.AddAsync(await scope.ServiceProvider.SessionAsync(user.Id, "000000"), NewPasskey(), null)).Error.Code);
        _factory.Time.Advance(TimeSpan.FromSeconds(30));
        var code = user.CodeAt(_factory.Time.GetUtcNow());
        Assert.Equal(PasskeyErrors.NotUserVerified,
            (await passkeys.AddAsync(await scope.ServiceProvider.SessionAsync(user.Id, code), NewPasskey(userVerified: false), null)).Error);
        Assert.Equal(PasskeyErrors.NameTooLong,
            (await passkeys.AddAsync(await scope.ServiceProvider.SessionAsync(user.Id, code), NewPasskey(), new string('x', 101))).Error);

        var added = await passkeys.AddAsync(await scope.ServiceProvider.SessionAsync(user.Id, code), NewPasskey(), null);

        Assert.True(added.Succeeded, added.ToString());
        Assert.Equal("Passkey 1", added.Value!.Name);
        Assert.Single((await passkeys.ListAsync(await scope.ServiceProvider.SessionAsync(user.Id))).Value!);
    }

    [Fact]
    public async Task NobodyRenamesOrRemovesAnotherUsersPasskey()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "owner@example.test", PanelRoles.ReadOnly);
        var other = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "root@example.test", PanelRoles.SuperAdministrator);
        var id = System.Buffers.Text.Base64Url.EncodeToString(await StorePasskeyAsync(owner.Id));
        _factory.Time.Advance(TimeSpan.FromSeconds(30));

        await using var scope = _factory.Scope();
        var passkeys = scope.ServiceProvider.GetRequiredService<PasskeyAccounts>();
        Assert.Equal(PasskeyErrors.NotFound, (await passkeys.RenameAsync(await scope.ServiceProvider.SessionAsync(other.Id), id, "mine")).Error);
        Assert.Equal(PasskeyErrors.NotFound,
            (await passkeys.RemoveAsync(await scope.ServiceProvider.SessionAsync(other.Id, other.CodeAt(_factory.Time.GetUtcNow())), id)).Error);
        Assert.Equal(PasskeyErrors.NotFound, (await passkeys.RemoveAsync(await scope.ServiceProvider.SessionAsync(owner.Id, "123456"), "not base64url!")).Error);
        Assert.Equal(1, await _factory.WithDbAsync(db => db.Set<IdentityUserPasskey<string>>().CountAsync()));
    }

    private async Task<byte[]> StorePasskeyAsync(string userId)
    {
        await using var scope = _factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var passkey = NewPasskey();
        passkey.Name = "Stored";
        var result = await users.AddOrUpdatePasskeyAsync((await users.FindByIdAsync(userId))!, passkey);
        Assert.True(result.Succeeded);
        await scope.ServiceProvider.GetRequiredService<PasskeyAccounts>().RecordUseAsync(userId, passkey.CredentialId);
        return passkey.CredentialId;
    }

    private UserPasskeyInfo NewPasskey(bool userVerified = true) => new(
        RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(77), _factory.Time.GetUtcNow(), 0, ["internal"],
        userVerified, false, false, [0xa0], [0x7b, 0x7d]);
}

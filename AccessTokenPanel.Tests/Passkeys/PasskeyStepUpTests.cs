using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Passkeys;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Passkeys;

/// <summary>
/// A passkey as step-up, the Domain's rule on the real app: an assertion Identity verified becomes
/// one proof (its challenge is unique), a proof serves one operation of its own user's session for
/// five minutes, and nothing else. The browser's side is <see cref="PasskeyStepUpBrowserTests"/>.
/// </summary>
public class PasskeyStepUpTests(DatabaseProvider provider = DatabaseProvider.Sqlite) : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = provider == DatabaseProvider.PostgreSql ? new Persistence.PostgreSqlApiAppFactory() : new PanelAppFactory();

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => _factory.DisposeAsync().AsTask();

    [Fact]
    public async Task OneAssertionMakesOneProofAndOneProofIssuesOneToken()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "ada@example.test", PanelRoles.ReadOnly);
        var (assertion, json) = await AssertionAsync(user.Id);

        var proof = await RecordAsync(user.Id, assertion, json);
        Assert.True(proof.Succeeded, proof.ToString());
        // The same answer posted again (its state cookie replayed with it) makes no second proof.
        Assert.Equal(StepUpErrors.PasskeyAssertionReplayed, (await RecordAsync(user.Id, assertion, json)).Error.Code);

        var first = await IssueAsync(user.Id, proof.Value!, "first");
        Assert.True(first.Succeeded, first.ToString());
        var second = await IssueAsync(user.Id, proof.Value!, "second");
        Assert.False(second.Succeeded);
        Assert.Equal(StepUpErrors.PasskeyInvalid, second.Errors[0].Code);
        Assert.Equal(["first"], await _factory.WithDbAsync(db => db.AccessTokens.Select(t => t.Name).ToListAsync()));
    }

    [Fact]
    public async Task AProofIsOnlyItsUsersSessionsForFiveMinutes()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "grace@example.test", PanelRoles.ReadOnly);
        var other = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "linus@example.test", PanelRoles.ReadOnly);
        var (assertion, json) = await AssertionAsync(user.Id);
        var proof = (await RecordAsync(user.Id, assertion, json)).Value!;

        // Someone else's session cannot spend it, nor can a token (the APIs keep the code), nor a made-up one.
        Assert.Equal(StepUpErrors.PasskeyInvalid, (await IssueAsync(other.Id, proof, "theirs")).Errors[0].Code);
        await using (var scope = _factory.Scope())
        {
            var tokenActor = (await scope.ServiceProvider.SessionAsync(user.Id)) with { Kind = ActorKind.Token, TokenId = Guid.NewGuid(), StepUpPasskeyProof = proof };
            Assert.Equal(StepUpErrors.PasskeyInvalid, (await scope.ServiceProvider.GetRequiredService<StepUpVerifier>().VerifyAsync(tokenActor))!.Code);
        }
        Assert.Equal(StepUpErrors.PasskeyInvalid, (await IssueAsync(user.Id, Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), "guess")).Errors[0].Code);

        _factory.Time.Advance(PasskeyStepUps.Lifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(StepUpErrors.PasskeyInvalid, (await IssueAsync(user.Id, proof, "late")).Errors[0].Code);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.AccessTokens.CountAsync()));
    }

    [Fact]
    public async Task OnlyTheUsersOwnVerifiedPasskeyMakesAProof()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "ken@example.test", PanelRoles.ReadOnly);
        var other = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "dennis@example.test", PanelRoles.ReadOnly);

        var (othersAssertion, othersJson) = await AssertionAsync(other.Id);
        Assert.Equal(StepUpErrors.PasskeyAssertionFailed, (await RecordAsync(user.Id, othersAssertion, othersJson)).Error.Code);

        var (unverified, unverifiedJson) = await AssertionAsync(user.Id, userVerified: false);
        Assert.Equal(StepUpErrors.PasskeyUnverified, (await RecordAsync(user.Id, unverified, unverifiedJson)).Error.Code);

        var failed = PasskeyAssertionResult.Fail<PanelUser>(new PasskeyException("The signature did not verify."));
        Assert.Equal(StepUpErrors.PasskeyAssertionFailed, (await RecordAsync(user.Id, failed, "{}")).Error.Code);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.PasskeyStepUps.CountAsync()));
    }

    [Fact]
    public async Task TwoOperationsSpendingOneProofAtOnceSucceedOnce()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "barbara@example.test", PanelRoles.ReadOnly);
        var (assertion, json) = await AssertionAsync(user.Id);
        var proof = (await RecordAsync(user.Id, assertion, json)).Value!;

        var spends = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            await using var scope = _factory.Scope();
            return await scope.ServiceProvider.GetRequiredService<PasskeyStepUps>().SpendAsync(user.Id, proof);
        }));

        Assert.Single(spends, spent => spent);
    }

    private async Task<Result<string>> RecordAsync(string userId, PasskeyAssertionResult<PanelUser> assertion, string json)
    {
        await using var scope = _factory.Scope();
        return await scope.ServiceProvider.GetRequiredService<PasskeyStepUps>().RecordAsync(userId, assertion, json);
    }

    private async Task<IssueTokenResult> IssueAsync(string userId, string proof, string name)
    {
        await using var scope = _factory.Scope();
        var actor = (await scope.ServiceProvider.SessionAsync(userId)).WithStepUp(new StepUpAnswer(null, proof));
        return await scope.ServiceProvider.GetRequiredService<TokenIssuer>()
            .IssueAsync(actor, new IssueTokenRequest(userId, name, ApiType.Rest, null, TokenExpiry.InDays(30)));
    }

    /// <summary>
    /// What Identity's <c>PerformPasskeyAssertionAsync</c> hands back for a verified answer of the
    /// user's stored passkey, and the browser's answer (its client data with a fresh challenge).
    /// </summary>
    private async Task<(PasskeyAssertionResult<PanelUser> Assertion, string Json)> AssertionAsync(string userId, bool userVerified = true)
    {
        await using var scope = _factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        var passkey = new UserPasskeyInfo(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(77), _factory.Time.GetUtcNow(), 0,
            ["internal"], userVerified, false, false, [0xa0], [0x7b, 0x7d]) { Name = "Test key" };
        Assert.True((await users.AddOrUpdatePasskeyAsync(user, passkey)).Succeeded);
        var clientData = JsonSerializer.Serialize(new
        {
            type = "webauthn.get",
            challenge = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
            origin = "http://localhost",
        });
        var json = JsonSerializer.Serialize(new
        {
            id = Base64Url.EncodeToString(passkey.CredentialId),
            type = "public-key",
            response = new { clientDataJSON = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(clientData)) },
        });
        return (PasskeyAssertionResult.Success(passkey, user), json);
    }
}

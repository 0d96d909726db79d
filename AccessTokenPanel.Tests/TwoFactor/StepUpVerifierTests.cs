using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.TwoFactor;

public sealed class StepUpVerifierTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _db = new();
    private string _userId = "";
    private string _key = "";

    public async Task InitializeAsync()
    {
        var user = await _db.AddUserAsync("totp@example.test");
        await using var scope = _db.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        var tracked = (await users.FindByIdAsync(user.Id))!;
        await users.SetLockoutEnabledAsync(tracked, true);
        await users.ResetAuthenticatorKeyAsync(tracked);
        await users.SetTwoFactorEnabledAsync(tracked, true);
        _key = (await users.GetAuthenticatorKeyAsync(tracked))!;
        _userId = user.Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Each call is a new scope over the file, as a new request would be.</summary>
    private async Task<StepUpResult> VerifyAsync(string code)
    {
        await using var scope = _db.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>();
        return await scope.ServiceProvider.VerifyStepUpAsync((await users.FindByIdAsync(_userId))!, code);
    }

    [Fact]
    public async Task CodeFromOathtoolIsVerified()
    {
        Assert.Equal(StepUpResult.Verified, await VerifyAsync(Oathtool.Totp(_key, _db.Time.GetUtcNow())));
    }

    [Fact]
    public async Task ReplayedCodeIsRefused()
    {
        var code = Oathtool.Totp(_key, _db.Time.GetUtcNow());
        Assert.Equal(StepUpResult.Verified, await VerifyAsync(code));

        Assert.Equal(StepUpResult.ReplayedCode, await VerifyAsync(code));

        // A later step's code still works.
        _db.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(StepUpResult.Verified, await VerifyAsync(Oathtool.Totp(_key, _db.Time.GetUtcNow())));
    }

    [Fact]
    public async Task CodeFromAStepAlreadyPassedIsRefusedEvenIfNeverUsed()
    {
        var earlier = Oathtool.Totp(_key, _db.Time.GetUtcNow().AddSeconds(-30));
        Assert.Equal(StepUpResult.Verified, await VerifyAsync(Oathtool.Totp(_key, _db.Time.GetUtcNow())));

        Assert.Equal(StepUpResult.ReplayedCode, await VerifyAsync(earlier));
    }

    [Theory]
    [InlineData(-30)]
    [InlineData(30)]
    public async Task DriftOfOneStepIsAccepted(int seconds)
    {
        Assert.Equal(StepUpResult.Verified, await VerifyAsync(Oathtool.Totp(_key, _db.Time.GetUtcNow().AddSeconds(seconds))));
    }

    [Theory]
    [InlineData(-90)]
    [InlineData(90)]
    public async Task DriftOfThreeStepsIsRefused(int seconds)
    {
        Assert.Equal(StepUpResult.InvalidCode, await VerifyAsync(Oathtool.Totp(_key, _db.Time.GetUtcNow().AddSeconds(seconds))));
    }

    [Fact]
    public async Task CodeAcceptedNowIsRefusedOnceTheClockMovesThreeStepsOn()
    {
        var code = Oathtool.Totp(_key, _db.Time.GetUtcNow());
        _db.Time.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(StepUpResult.InvalidCode, await VerifyAsync(code));
    }

    [Fact]
    public async Task FiveWrongCodesLockTheAccount()
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(StepUpResult.InvalidCode, await VerifyAsync("000000"));
        }
        // SqliteTestDatabase uses Identity's default of 5 attempts, as the app does.
        Assert.Equal(StepUpResult.LockedOut, await VerifyAsync("000000"));
        Assert.Equal(StepUpResult.LockedOut, await VerifyAsync(Oathtool.Totp(_key, _db.Time.GetUtcNow())));
    }

    [Fact]
    public async Task UserWithoutAuthenticatorIsNotEnrolled()
    {
        var other = await _db.AddUserAsync("plain@example.test");
        await using var scope = _db.Scope();
        Assert.Equal(StepUpResult.NotEnrolled, await scope.ServiceProvider.VerifyStepUpAsync(other, "123456"));
    }
}

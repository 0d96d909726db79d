using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.TwoFactor;

/// <summary>
/// The audit's races, on a real SQLite file with one scope per "request": each request loads the
/// user first and only then checks the code, as concurrent requests do.
/// </summary>
public sealed class ParallelCodeTests : IAsyncLifetime
{
    private const int Requests = 20;
    private readonly SqliteTestDatabase _db = new();
    private string _userId = "";
    private string _key = "";

    public async Task InitializeAsync()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_db.Services, "racer@example.test");
        (_userId, _key) = (user.Id, user.AuthenticatorKey);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private string CurrentCode => Oathtool.Totp(_key, _db.Time.GetUtcNow());

    /// <summary>A request that has loaded the user and waits to check its code.</summary>
    private sealed class Request(AsyncServiceScope scope, PanelUser user) : IAsyncDisposable
    {
        public IServiceProvider Services => scope.ServiceProvider;
        public PanelUser User => user;

        public Task<StepUpResult> StepUpAsync(string code) => Services.VerifyStepUpAsync(user, code);

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    private async Task<Request> LoadAsync()
    {
        var scope = _db.Scope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>().FindByIdAsync(_userId))!;
        return new Request(scope, user);
    }

    [Fact]
    public async Task ALosingRequestCannotReopenASpentCodeByWritingItsOlderCopyOfTheUserBack()
    {
        var code = CurrentCode;
        await using var winner = await LoadAsync();
        await using var loser = await LoadAsync();

        Assert.Equal(StepUpResult.Verified, await winner.StepUpAsync(code));
        // The loser's copy predates the winner's claim; its failure is saved through Identity.
        Assert.Equal(StepUpResult.ReplayedCode, await loser.StepUpAsync(code));
        var users = loser.Services.GetRequiredService<UserManager<PanelUser>>();
        await users.UpdateAsync(loser.User);

        await using var later = await LoadAsync();
        Assert.Equal(StepUpResult.ReplayedCode, await later.StepUpAsync(code));
    }

    [Fact]
    public async Task OneCodeInTwentyParallelGenerateRequestsIsAcceptedOnceAndIssuesOneToken()
    {
        var code = CurrentCode;
        var requests = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => LoadAsync()));
        try
        {
            var outcomes = await Task.WhenAll(requests.Select((request, i) => Task.Run(async () =>
            {
                var stepUp = await request.StepUpAsync(code);
                if (stepUp != StepUpResult.Verified)
                {
                    return stepUp;
                }
                var issued = await request.Services.GetRequiredService<TokenIssuer>().IssueAsync(
                    new IssueTokenRequest(_userId, $"parallel {i}", ApiType.Rest, null, TokenExpiry.InDays(1)));
                Assert.True(issued.Succeeded, issued.ToString());
                return stepUp;
            })));

            Assert.Single(outcomes, o => o == StepUpResult.Verified);
            // The others lost: the code was spent, or they were refused unchecked while the limit's worth were checked.
            Assert.All(outcomes.Where(o => o != StepUpResult.Verified),
                o => Assert.Contains(o, new[] { StepUpResult.ReplayedCode, StepUpResult.TooManyAttempts }));
            await using var check = _db.Scope();
            var db = check.ServiceProvider.GetRequiredService<Domain.Data.PanelDbContext>();
            Assert.Equal(1, await db.AccessTokens.CountAsync());
            // Spending one's own code in a hurry is no guessing: nobody is locked out by it.
            Assert.Null((await db.Users.AsNoTracking().SingleAsync(u => u.Id == _userId)).TotpLockedUntil);
        }
        finally
        {
            foreach (var request in requests)
            {
                await request.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TwentyParallelWrongCodesCheckNoMoreGuessesThanTheLockoutThreshold()
    {
        var wrong = CurrentCode == "000000" ? "111111" : "000000";
        var requests = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => LoadAsync()));
        StepUpResult[] outcomes;
        try
        {
            outcomes = await Task.WhenAll(requests.Select(request => Task.Run(() => request.StepUpAsync(wrong))));
        }
        finally
        {
            foreach (var request in requests)
            {
                await request.DisposeAsync();
            }
        }

        // SqliteTestDatabase keeps Identity's default threshold, 5, as the app does.
        await using var scope = _db.Scope();
        var stored = await scope.ServiceProvider.GetRequiredService<Domain.Data.PanelDbContext>().Users.AsNoTracking().SingleAsync(u => u.Id == _userId);
        Assert.Equal(5, stored.TotpFailedAttempts);
        Assert.NotNull(stored.TotpLockedUntil);
        Assert.True(outcomes.Count(o => o == StepUpResult.InvalidCode) <= 4);
        Assert.All(outcomes, o => Assert.Contains(o, new[] { StepUpResult.InvalidCode, StepUpResult.LockedOut, StepUpResult.TooManyAttempts }));

        await using (var locked = await LoadAsync())
        {
            Assert.Equal(StepUpResult.LockedOut, await locked.StepUpAsync(CurrentCode));
        }
        _db.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30));
        await using (var later = await LoadAsync())
        {
            Assert.Equal(StepUpResult.Verified, await later.StepUpAsync(CurrentCode));
        }
    }
}

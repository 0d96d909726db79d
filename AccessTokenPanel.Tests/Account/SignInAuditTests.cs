using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AccessTokenPanel.Tests.Account.AccountHttp;

namespace AccessTokenPanel.Tests.Account;

/// <summary>Sign-in, failed sign-in and lockout are in the audit log with who and from which address (over a real socket).</summary>
public sealed class SignInAuditTests : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync()
    {
        _factory.StartKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private Task<List<AuditEntry>> EntriesAsync(string action, string userId) =>
        _factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == action && e.SubjectId == userId).ToListAsync());

    [Fact]
    public async Task SignInIsAuditedWithTheUserAndTheAddress()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "audited@example.test");
        using var client = new FormClient(_factory);

        // Over Kestrel the client follows redirects: each step ends on the page it leads to.
        await PasswordStepAsync(client, user.Email, user.Password);
        _factory.Time.Advance(TimeSpan.FromSeconds(30));
        await CodeStepAsync(client, user.CodeAt(_factory.Time.GetUtcNow()));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/tokens")).StatusCode);

        var entry = Assert.Single(await EntriesAsync(AuditActions.SignedIn, user.Id));
        Assert.Equal(user.Id, entry.ActorId);
        Assert.Contains("audited@example.test", entry.Details);
        Assert.Contains("127.0.0.1", entry.Details);
    }

    [Fact]
    public async Task WrongPasswordsAndTheLockoutTheyCauseAreAudited()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "audited-lock@example.test");
        using var client = new FormClient(_factory);

        for (var i = 0; i < 5; i++)
        {
            await PasswordStepAsync(client, user.Email, "wrong-password-" + i);
        }

        Assert.Equal(5, (await EntriesAsync(AuditActions.SignInFailed, user.Id)).Count);
        var lockout = Assert.Single(await EntriesAsync(AuditActions.LockedOut, user.Id));
        Assert.Contains("127.0.0.1", lockout.Details);
    }
}

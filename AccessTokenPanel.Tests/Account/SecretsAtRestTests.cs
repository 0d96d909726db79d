using System.Net;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.SecretsAtRest;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AccessTokenPanel.Tests.Account.AccountHttp;

namespace AccessTokenPanel.Tests.Account;

/// <summary>The database holds neither an authenticator key nor a recovery code in clear.</summary>
public sealed class SecretsAtRestTests : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static Task<List<(string Name, string Value)>> SecretRowsAsync(PanelAppFactory factory, string userId) =>
        factory.WithDbAsync(async db => (await db.UserTokens.AsNoTracking()
                .Where(t => t.UserId == userId && t.LoginProvider == PanelUserStore.LoginProvider).ToListAsync())
            .Select(t => (t.Name, t.Value ?? "")).ToList());

    [Fact]
    public async Task StoredRowsHoldNeitherTheKeyNorARecoveryCodeAndBothStillWork()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "rows@example.test");
        var codes = await RecoveryCodesAsync(_factory, user.Id);

        var rows = await SecretRowsAsync(_factory, user.Id);
        Assert.Contains(rows, r => r.Name == PanelUserStore.AuthenticatorKeyName);
        Assert.Contains(rows, r => r.Name == PanelUserStore.RecoveryCodesName);
        foreach (var (_, value) in rows)
        {
            Assert.DoesNotContain(user.AuthenticatorKey, value);
            Assert.All(codes, code => Assert.DoesNotContain(code, value));
        }

        using var client = new FormClient(_factory);
        await SignInAsync(client, user, _factory.Time);
        using var other = new FormClient(_factory);
        await PasswordStepAsync(other, user.Email, user.Password);
        var recovery = await other.SubmitAsync("/account/login/recovery", Field("Input.Code", codes[3]));
        Assert.Equal(HttpStatusCode.Redirect, recovery.StatusCode);
        using var again = new FormClient(_factory);
        await PasswordStepAsync(again, user.Email, user.Password);
        var reused = await again.SubmitAsync("/account/login/recovery", Field("Input.Code", codes[3]));
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
    }

    [Fact]
    public async Task ClearRowsFromBeforeAreProtectedAtStartAndStillWork()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "legacy@example.test");
        const string clearKey = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        const string codeA = "AAAAA-BBBBB";
        const string codeB = "CCCCC-DDDDD";
        // As the panel stored them before: the key and the ';'-joined codes in clear.
        await using (var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE AspNetUserTokens SET Value = $key WHERE UserId = $user AND Name = 'AuthenticatorKey';
                INSERT OR REPLACE INTO AspNetUserTokens (UserId, LoginProvider, Name, Value) VALUES ($user, '[AspNetUserStore]', 'RecoveryCodes', $codes);
                """;
            command.Parameters.AddWithValue("$key", clearKey);
            command.Parameters.AddWithValue("$user", user.Id);
            command.Parameters.AddWithValue("$codes", $"{codeA};{codeB}");
            await command.ExecuteNonQueryAsync();
        }

        // A new start of the app on the same database.
        await using var restarted = new PanelAppFactory();
        restarted.Settings["Database:ConnectionString"] = $"Data Source={_factory.DatabasePath};Pooling=False";
        restarted.CreateClient().Dispose();

        var rows = await SecretRowsAsync(restarted, user.Id);
        Assert.All(rows, r => Assert.DoesNotContain(clearKey, r.Value));
        Assert.All(rows, r => Assert.DoesNotContain(codeA, r.Value));
        Assert.Contains("dp1:", rows.Single(r => r.Name == PanelUserStore.AuthenticatorKeyName).Value);
        Assert.StartsWith("h1:", rows.Single(r => r.Name == PanelUserStore.RecoveryCodesName).Value);

        // A second start changes nothing (idempotent).
        await using (var scope = restarted.Scope())
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<SecretsAtRestMigration>().RunAsync());
        }

        var migrated = user with { AuthenticatorKey = clearKey };
        using var client = new FormClient(restarted);
        await SignInAsync(client, migrated, restarted.Time);
        using var other = new FormClient(restarted);
        await PasswordStepAsync(other, user.Email, user.Password);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SubmitAsync("/account/login/recovery", Field("Input.Code", codeB))).StatusCode);
    }
}

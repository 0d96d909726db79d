using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Web.Hosting;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>The Generate dialog's submit against a real SQLite database and oathtool's codes.</summary>
public sealed class GenerateTokenHandlerTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _db = new();
    private TestUser _user = default!;

    public async Task InitializeAsync()
    {
        await ScreenTestData.SeedRolesAsync(_db.Services);
        _user = await TestUsers.CreateEnrolledUserAsync(_db.Services, "admin@example.com", PanelRoles.UserAdministrator);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task AValidRequestWithTheCurrentCodeIssuesAToken()
    {
        var outcome = await SubmitAsync(Valid());

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.Values));
        Assert.Equal(TokenFormatCheck.WellFormed, TokenSecret.Check(outcome.Secret, out var api));
        Assert.Equal(ApiType.Rest, api);
        Assert.Equal(Now.AddDays(90), outcome.Token!.ExpiresAt);
    }

    [Fact]
    public async Task ARoleSentWithANonConfigurationApiIsIgnored()
    {
        // The role field is only hidden for other APIs, so a role chosen earlier is still posted.
        var input = Valid();
        input.DelegatedRole = PanelRoles.ReadOnly;

        var outcome = await SubmitAsync(input);

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.Values));
        Assert.Null(outcome.Token!.DelegatedRole);
    }

    [Fact]
    public async Task ConfigurationApiNeedsARoleTheUserMayDelegate()
    {
        var input = Valid();
        input.Api = nameof(ApiType.Configuration);

        var missing = await SubmitAsync(input);
        Assert.Equal("Choose the role this Configuration API token acts with.", missing.Errors[nameof(GenerateTokenInput.DelegatedRole)]);

        input.DelegatedRole = PanelRoles.SuperAdministrator;
        var tooStrong = await SubmitAsync(input);
        Assert.Contains("You can only delegate a role whose permissions you hold", tooStrong.Errors[nameof(GenerateTokenInput.DelegatedRole)]);

        input.DelegatedRole = PanelRoles.UserAdministrator;
        var allowed = await SubmitAsync(input);
        Assert.True(allowed.Succeeded, string.Join("; ", allowed.Errors.Values));
        Assert.Equal(PanelRoles.UserAdministrator, allowed.Token!.DelegatedRole);
    }

    [Fact]
    public async Task DaysModeReadsDaysAndIgnoresAStaleDate()
    {
        var input = Valid();
        input.Days = "60";
        input.ExpirationDate = "garbage";

        var outcome = await SubmitAsync(input);

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.Values));
        Assert.Equal(Now.AddDays(60), outcome.Token!.ExpiresAt);
    }

    [Fact]
    public async Task DateModeReadsTheDateAndIgnoresStaleDays()
    {
        var input = Valid();
        input.ExpiryMode = GenerateTokenInput.DateMode;
        input.ExpirationDate = "2027-01-31";
        input.Days = "not a number";

        var outcome = await SubmitAsync(input);

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.Values));
        Assert.Equal(new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc), outcome.Token!.ExpiresAt);
    }

    [Theory]
    [InlineData(GenerateTokenInput.DaysMode, "", null, "Days", "Enter how many days the token should work, e.g. 90.")]
    [InlineData(GenerateTokenInput.DaysMode, "ninety", null, "Days", "Enter the number of days as a whole number, e.g. 90.")]
    [InlineData(GenerateTokenInput.DaysMode, "366", null, "Days", "Tokens may live at most 365 days.")]
    [InlineData(GenerateTokenInput.DaysMode, "0", null, "Days", "The number of days must be 1 or more.")]
    [InlineData(GenerateTokenInput.DateMode, null, "", "ExpirationDate", "Choose the date the token stops working.")]
    [InlineData(GenerateTokenInput.DateMode, null, "31/01/2027", "ExpirationDate", "Enter the date as YYYY-MM-DD, e.g. 2027-03-31.")]
    [InlineData(GenerateTokenInput.DateMode, null, "2026-11-01", "ExpirationDate", "The expiration date must be after today (UTC).")]
    [InlineData(GenerateTokenInput.DateMode, null, "2028-01-01", "ExpirationDate", "Tokens may live at most 365 days: the latest date is 2027-11-22.")]
    public async Task BadExpiryIsReportedOnItsField(string mode, string? days, string? date, string field, string message)
    {
        var input = Valid();
        input.ExpiryMode = mode;
        input.Days = days;
        input.ExpirationDate = date;

        var outcome = await SubmitAsync(input);

        Assert.False(outcome.Succeeded);
        Assert.Equal(message, outcome.Errors[field]);
    }

    [Fact]
    public async Task FieldErrorsDoNotSpendTheCode()
    {
        var code = _user.CodeAt(_db.Time.GetUtcNow());
        var input = Valid(code);
        input.Name = "";

        var refused = await SubmitAsync(input);
        Assert.Equal("Enter a name for the token.", refused.Errors[nameof(GenerateTokenInput.Name)]);

        // The same code, still in its 30-second step, works once the name is fixed.
        var fixedInput = Valid(code);
        var outcome = await SubmitAsync(fixedInput);
        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.Values));
    }

    [Fact]
    public async Task AMissingCodeIsAskedFor()
    {
        var outcome = await SubmitAsync(Valid(code: ""));

        Assert.Equal("Enter the 6-digit code from your authenticator app.", outcome.Errors[GenerateTokenHandler.CodeField]);
    }

    [Fact]
    public async Task AWrongCodeIsRefusedAndNothingIsIssued()
    {
        var right = _user.CodeAt(_db.Time.GetUtcNow());
        var wrong = right == "000000" ? "111111" : "000000";

        var outcome = await SubmitAsync(Valid(wrong));

        Assert.Equal("That code is not right. Enter the current 6-digit code from your authenticator app.", outcome.Errors[GenerateTokenHandler.CodeField]);
        Assert.Equal(0, await _db.Services.CreateScope().ServiceProvider.GetRequiredService<PanelDbContext>().AccessTokens.CountAsync());
    }

    [Fact]
    public async Task AReplayedCodeIsRefused()
    {
        var code = _user.CodeAt(_db.Time.GetUtcNow());
        Assert.True((await SubmitAsync(Valid(code))).Succeeded);

        var input = Valid(code);
        input.Name = "second";
        var replayed = await SubmitAsync(input);

        Assert.Equal("That code was already used. Wait for your app to show a new code and enter it.", replayed.Errors[GenerateTokenHandler.CodeField]);
    }

    [Fact]
    public async Task RepeatedWrongCodesLockTheAccountWithAClearMessage()
    {
        var right = _user.CodeAt(_db.Time.GetUtcNow());
        var wrong = right == "000000" ? "111111" : "000000";
        GenerateTokenOutcome outcome;
        var attempts = 0;
        do
        {
            outcome = await SubmitAsync(Valid(wrong));
            attempts++;
        }
        while (!outcome.Errors[GenerateTokenHandler.CodeField].Contains("locked") && attempts < 20);

        Assert.Equal("Too many wrong codes: your account is locked for a while. Try again later.", outcome.Errors[GenerateTokenHandler.CodeField]);
        // Even the right code is refused while locked out.
        var locked = await SubmitAsync(Valid(right));
        Assert.False(locked.Succeeded);
        Assert.Contains("locked", locked.Errors[GenerateTokenHandler.CodeField]);
    }

    private DateTime Now => _db.Time.GetUtcNow().UtcDateTime;

    private GenerateTokenInput Valid(string? code = null) => new()
    {
        Name = "ci deploy",
        Api = nameof(ApiType.Rest),
        ExpiryMode = GenerateTokenInput.DaysMode,
        Days = "90",
        Code = code ?? _user.CodeAt(_db.Time.GetUtcNow()),
    };

    private async Task<GenerateTokenOutcome> SubmitAsync(GenerateTokenInput input, StepUpRateLimiter? limiter = null)
    {
        await using var scope = _db.Scope();
        var services = scope.ServiceProvider;
        // The issuer's step-up asks this limiter, as the app's asks its own (StepUpRateLimiter is the app's IStepUpThrottle).
        var verifier = ActivatorUtilities.CreateInstance<StepUpVerifier>(services, (IEnumerable<IStepUpThrottle>)[limiter ?? _limiter]);
        var guard = ActivatorUtilities.CreateInstance<OperationGuard>(services, verifier);
        var issuer = ActivatorUtilities.CreateInstance<TokenIssuer>(services, guard);
        return await new GenerateTokenHandler(issuer).HandleAsync(await services.SessionAsync(_user.Id), input);
    }

    private readonly StepUpRateLimiter _limiter = Limiter(permits: 100_000);

    private static StepUpRateLimiter Limiter(int permits) =>
        new(Microsoft.Extensions.Options.Options.Create(new CredentialsRateLimitOptions { PermitLimit = permits, Window = TimeSpan.FromHours(1) }));

    [Fact]
    public async Task CodesTypedIntoTheDialogAreRateLimitedLikeEveryOtherCodeForm()
    {
        var limiter = Limiter(permits: 2);
        var wrong = Valid(code: "000000");
        await SubmitAsync(wrong, limiter);
        await SubmitAsync(wrong, limiter);

        var refused = await SubmitAsync(Valid(), limiter);

        Assert.False(refused.Succeeded);
        Assert.Equal("Too many attempts. Wait a minute and try again.", refused.Errors[GenerateTokenHandler.CodeField]);
    }
}

using System.Net;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Infrastructure;
using static AccessTokenPanel.Tests.Account.AccountHttp;

namespace AccessTokenPanel.Tests.Account;

/// <summary>A redirect after a form post carries no body, so no submitted password or code is echoed in HTML.</summary>
public sealed class RedirectBodyTests : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static async Task AssertBareRedirectAsync(HttpResponseMessage response, params string[] secrets)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, body);
        }
        Assert.Equal("", body);
    }

    [Fact]
    public async Task PasswordAndCodeStepRedirectsCarryNoBody()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "body@example.test");
        using var client = new FormClient(_factory);

        await AssertBareRedirectAsync(await PasswordStepAsync(client, user.Email, user.Password), user.Password);

        _factory.Time.Advance(TimeSpan.FromSeconds(30));
        var code = user.CodeAt(_factory.Time.GetUtcNow());
        await AssertBareRedirectAsync(await CodeStepAsync(client, code), code);
    }

    [Fact]
    public async Task RecoveryCodeRedirectCarriesNoBody()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(_factory.Services, "recovery-body@example.test");
        var codes = await RecoveryCodesAsync(_factory, user.Id);
        using var client = new FormClient(_factory);
        await PasswordStepAsync(client, user.Email, user.Password);

        var response = await client.SubmitAsync("/account/login/recovery", Field("Input.Code", codes[0]));

        await AssertBareRedirectAsync(response, codes[0]);
    }

    [Fact]
    public async Task FirstRunSetupRedirectCarriesNoBody()
    {
        using var client = new FormClient(_factory);
        var setupPath = SetupPathFromLog(_factory);

        var response = await client.SubmitAsync(setupPath, new Dictionary<string, string>
        {
            ["Input.Email"] = "first-body@example.test",
            ["Input.Password"] = TestUsers.DefaultPassword,
            ["Input.ConfirmPassword"] = TestUsers.DefaultPassword,
        });

        await AssertBareRedirectAsync(response, TestUsers.DefaultPassword);
    }

}

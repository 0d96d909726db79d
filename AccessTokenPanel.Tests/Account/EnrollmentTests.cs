using System.Diagnostics;
using System.Net;
using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AccessTokenPanel.Tests.Account.AccountHttp;

namespace AccessTokenPanel.Tests.Account;

public sealed class EnrollmentTests : IAsyncLifetime
{
    private readonly PanelAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private async Task<FormClient> SignedInUnenrolledAsync(string email)
    {
        await CreateUnenrolledUserAsync(_factory, email);
        var client = new FormClient(_factory);
        Assert.Equal("/account/two-factor", FormClient.LocationOf(await PasswordStepAsync(client, email, TestUsers.DefaultPassword)));
        return client;
    }

    private static string ManualKey(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelector("#manual-key")!.TextContent.Replace(" ", "");

    [Fact]
    public async Task QrCodeDecodesToTheOtpauthUriOfTheShownKey()
    {
        using var client = await SignedInUnenrolledAsync("qr+user@example.test");
        var page = await client.GetDocumentAsync("/account/two-factor");
        var image = page.QuerySelector("img[alt*='QR code']")!;
        var src = image.GetAttribute("src")!;
        Assert.StartsWith("data:image/png;base64,", src);
        var file = Path.Combine(Path.GetTempPath(), $"atp-qr-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, Convert.FromBase64String(src["data:image/png;base64,".Length..]));
        try
        {
            var decoded = Zbarimg(file);

            Assert.Equal(
                $"otpauth://totp/AccessTokenPanel:qr%2Buser%40example.test?secret={ManualKey(page)}&issuer=AccessTokenPanel&digits=6&period=30",
                decoded);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task EnrollmentPageIsNeverCached()
    {
        using var client = await SignedInUnenrolledAsync("cache@example.test");

        var response = await client.GetAsync("/account/two-factor");

        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task OathtoolCodeForTheShownKeyEnablesTwoFactorAndShowsTenRecoveryCodesOnce()
    {
        using var client = await SignedInUnenrolledAsync("enroll@example.test");
        var page = await client.GetDocumentAsync("/account/two-factor");
        var code = Oathtool.Totp(ManualKey(page), _factory.Time.GetUtcNow());

        var enabled = await client.SubmitAsync(page, "/account/two-factor", Field("Input.Code", code));

        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Contains("no-store", enabled.Headers.CacheControl!.ToString());
        var result = await FormClient.ParseAsync(enabled);
        var codes = result.QuerySelectorAll("ul[aria-label='Recovery codes'] li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        // Now enrolled: other pages open, and the codes are not shown again.
        var again = await client.GetAsync("/account/two-factor");
        Assert.DoesNotContain(codes[0], await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/users")).StatusCode);
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.UserTwoFactorEnabled)));
    }

    [Fact]
    public async Task WrongVerificationCodeKeepsTwoFactorOff()
    {
        using var client = await SignedInUnenrolledAsync("wrong@example.test");
        var page = await client.GetDocumentAsync("/account/two-factor");
        var key = ManualKey(page);

        var wrong = await client.SubmitAsync(page, "/account/two-factor", Field("Input.Code", "123456"));

        Assert.Contains("That verification code is not valid", await wrong.Content.ReadAsStringAsync());
        Assert.False((await FindAsync(_factory, "wrong@example.test")).TwoFactorEnabled);
        // The key stays the same, so the user can simply try again.
        Assert.Equal(key, ManualKey(await client.GetDocumentAsync("/account/two-factor")));
    }

    [Fact]
    public async Task CodeUsedToEnrollCannotBeReplayedToSignIn()
    {
        using var client = await SignedInUnenrolledAsync("enrollreplay@example.test");
        var page = await client.GetDocumentAsync("/account/two-factor");
        var key = ManualKey(page);
        var code = Oathtool.Totp(key, _factory.Time.GetUtcNow());
        await client.SubmitAsync(page, "/account/two-factor", Field("Input.Code", code));

        using var other = new FormClient(_factory);
        await PasswordStepAsync(other, "enrollreplay@example.test", TestUsers.DefaultPassword);
        Assert.Equal(HttpStatusCode.OK, (await CodeStepAsync(other, code)).StatusCode);
        _factory.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Redirect, (await CodeStepAsync(other, Oathtool.Totp(key, _factory.Time.GetUtcNow()))).StatusCode);
    }

    internal static string Zbarimg(string file)
    {
        var start = new ProcessStartInfo("zbarimg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--raw", "-q", file })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"zbarimg failed ({process.ExitCode}): {process.StandardError.ReadToEnd()}");
        return output.TrimEnd('\n');
    }
}

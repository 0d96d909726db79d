using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccessTokenPanel.Domain.Notices;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.TwoFactor;

/// <summary>
/// Wrong codes sent with a token count against that token: whoever holds one of a user's tokens
/// can lock the token's step-up, never the user's own sign-in; the owner is told once.
/// </summary>
public sealed class TokenStepUpLockoutTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    [Fact]
    public async Task WrongCodesWithATokenLockThatTokenNotTheOwnersSignIn()
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, "held@example.com", PanelRoles.SuperAdministrator);
        var stolen = factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "stolen"));
        var other = factory.ClientWith(await factory.IssueTokenAsync(owner.Id, ApiType.Rest, name: "other"));

        HttpRequestMessage Issue(string code)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens")
            {
                Content = JsonContent.Create(new { name = $"minted {Guid.NewGuid():N}", api = "rest", days = 30 }),
            };
            request.Headers.Add("X-OTP", code);
            return request;
        }
        var codes = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            codes.Add(await CodeOf(await stolen.SendAsync(Issue("000000"))));
        }

        // Identity's default of 5 attempts, as the sign-in's: the fifth wrong code locks, the sixth is refused unchecked.
        Assert.Equal(["code-invalid", "code-invalid", "code-invalid", "code-invalid", "locked-out", "locked-out"], codes);
        factory.NextTotpStep();
        Assert.Equal("locked-out", await CodeOf(await stolen.SendAsync(Issue(owner.CodeAt(factory.Time.GetUtcNow())))));

        // The owner's own step-up (the screens', the sign-in's) and their other token are untouched.
        Assert.Equal(HttpStatusCode.Created, (await other.SendAsync(Issue(owner.CodeAt(factory.Time.GetUtcNow())))).StatusCode);
        factory.NextTotpStep();
        await using var scope = factory.Scope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<PanelUser>>().FindByIdAsync(owner.Id))!;
        Assert.Null(user.TotpLockedUntil);
        Assert.Equal(StepUpResult.Verified, await scope.ServiceProvider.VerifyStepUpAsync(user, owner.CodeAt(factory.Time.GetUtcNow())));

        var notice = await factory.WithDbAsync(db => db.TokenNotices.SingleAsync(n => n.OwnerId == owner.Id && n.Kind == NoticeKind.StepUpLocked));
        Assert.Equal("stolen", notice.TokenName);
    }

    private static async Task<string> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
}

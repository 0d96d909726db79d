using System.Net;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Account;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Tests.Api.Rest;

/// <summary>One code sent in 20 simultaneous requests over HTTP: accepted once, the rest refused, never a 500.</summary>
public class ParallelCodeApiTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private const int Requests = 20;

    [Fact]
    public async Task OneCodeInTwentyParallelUserTokenRequestsIssuesOneToken()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "parallel-user-token@example.com");
        factory.NextTotpStep();
        var code = user.CodeAt(factory.Time.GetUtcNow());

        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/user-token");
            request.Headers.Authorization = ApiAppFactory.Basic(user.Email, user.Password);
            request.Headers.Add("X-OTP", code);
            return factory.CreateClient().SendAsync(request);
        }));

        Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        // Losers: the code was spent (401), or refused unchecked while others were being checked (429).
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        Assert.Equal(1, await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.OwnerId == user.Id)));
    }

    [Fact]
    public async Task OneCodeInTwentyParallelSignInCodeStepsSignsInOnce()
    {
        var user = await TestUsers.CreateEnrolledUserAsync(factory.Services, "parallel-sign-in@example.com", PanelRoles.ReadOnly);
        var clients = new List<FormClient>();
        for (var i = 0; i < Requests; i++)
        {
            var client = new FormClient(factory);
            Assert.Equal("/account/login/two-factor", FormClient.LocationOf(await AccountHttp.PasswordStepAsync(client, user.Email, user.Password)));
            clients.Add(client);
        }
        factory.NextTotpStep();
        var code = user.CodeAt(factory.Time.GetUtcNow());

        var responses = await Task.WhenAll(clients.Select(c => AccountHttp.CodeStepAsync(c, code)));

        Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect && FormClient.LocationOf(r) is not "/account/login/two-factor");
        clients.ForEach(c => c.Dispose());
    }
}

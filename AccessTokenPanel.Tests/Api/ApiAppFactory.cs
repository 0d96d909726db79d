using System.Net.Http.Headers;
using System.Text;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Api;

/// <summary>The app for API tests, with helpers to issue tokens and call with them.</summary>
public class ApiAppFactory : PanelAppFactory
{
    /// <summary>Issues a token through the domain (as the Generate dialog would) and returns its secret.</summary>
    public async Task<string> IssueTokenAsync(string ownerId, ApiType api, string? role = null, int days = 30, string? name = null)
    {
        await using var scope = Scope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenIssuer>().IssueAsync(new IssueTokenRequest(
            ownerId, name ?? $"{api} token {Guid.NewGuid():N}", api, role, TokenExpiry.InDays(days)));
        Assert.True(result.Succeeded, result.ToString());
        return result.Secret!;
    }

    public HttpClient ClientWith(string? bearer)
    {
        var client = CreateClient();
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    public static AuthenticationHeaderValue Basic(string email, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}:{password}")));

    /// <summary>Each TOTP code works once per 30-second step: move on to a fresh step.</summary>
    public void NextTotpStep() => Time.Advance(TimeSpan.FromSeconds(30));
}

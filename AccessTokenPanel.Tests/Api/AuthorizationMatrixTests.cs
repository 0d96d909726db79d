using System.Net;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;

namespace AccessTokenPanel.Tests.Api;

/// <summary>Each API type's token against each API: only its own API accepts it.</summary>
public class AuthorizationMatrixTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    private static readonly Dictionary<ApiType, string> Probes = new()
    {
        [ApiType.Configuration] = "/api/config/v1/settings",
        [ApiType.Scim] = "/scim/v2/Users",
        [ApiType.Rest] = "/api/v1/tokens",
    };

    public static TheoryData<ApiType, ApiType> Pairs()
    {
        var data = new TheoryData<ApiType, ApiType>();
        foreach (var token in ApiTypes.All)
        {
            foreach (var api in ApiTypes.All)
            {
                data.Add(token, api);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task ATokenWorksOnlyOnItsOwnApi(ApiType tokenApi, ApiType calledApi)
    {
        var owner = await TestUsers.CreateEnrolledUserAsync(factory.Services, $"matrix-{tokenApi}-{calledApi}@example.com", PanelRoles.SuperAdministrator);
        var secret = await factory.IssueTokenAsync(owner.Id, tokenApi, tokenApi == ApiType.Configuration ? PanelRoles.SuperAdministrator : null);

        var response = await factory.ClientWith(secret).GetAsync(Probes[calledApi]);

        if (tokenApi == calledApi)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
            Assert.Contains("issued for another API", challenge.Parameter);
        }
    }
}

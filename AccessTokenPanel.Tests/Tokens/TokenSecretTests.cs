using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Tests.Tokens;

public class TokenSecretTests
{
    [Theory]
    [InlineData(ApiType.Configuration, "atp_cfg_")]
    [InlineData(ApiType.Scim, "atp_scim_")]
    [InlineData(ApiType.Rest, "atp_rest_")]
    public void GeneratedSecretNamesItsApiAndPassesTheCheck(ApiType api, string prefix)
    {
        var secret = TokenSecret.Generate(api);

        Assert.StartsWith(prefix, secret);
        Assert.Equal(prefix.Length + TokenSecret.RandomLength + TokenSecret.ChecksumLength, secret.Length);
        Assert.Equal(TokenFormatCheck.WellFormed, TokenSecret.Check(secret, out var parsed));
        Assert.Equal(api, parsed);
    }
}

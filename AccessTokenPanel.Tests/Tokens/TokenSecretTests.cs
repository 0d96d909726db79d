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

    [Fact]
    public void RandomPartCarriesAtLeast256Bits()
    {
        // 43 characters from a 62-letter alphabet: 43 * log2(62) bits.
        Assert.True(TokenSecret.RandomLength * Math.Log2(62) >= 256);
    }

    [Fact]
    public void SecretsDoNotRepeat()
    {
        var secrets = Enumerable.Range(0, 1000).Select(_ => TokenSecret.Generate(ApiType.Rest)).ToHashSet();
        Assert.Equal(1000, secrets.Count);
    }

    [Fact]
    public void ChangingAnyCharacterBreaksTheChecksum()
    {
        var secret = TokenSecret.Generate(ApiType.Rest);
        var prefixLength = TokenSecret.PrefixOf(ApiType.Rest).Length;
        for (var i = prefixLength; i < secret.Length; i++)
        {
            var replacement = secret[i] == 'A' ? 'B' : 'A';
            var altered = string.Concat(secret.AsSpan(0, i), replacement.ToString(), secret.AsSpan(i + 1));
            Assert.Equal(TokenFormatCheck.ChecksumMismatch, TokenSecret.Check(altered, out _));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("atp_rest_")]
    [InlineData("atp_xyz_0123456789012345678901234567890123456789012345678")]
    [InlineData("ghp_0123456789012345678901234567890123456")]
    public void GarbageIsMalformed(string? presented)
    {
        Assert.Equal(TokenFormatCheck.Malformed, TokenSecret.Check(presented, out var api));
        Assert.Null(api);
    }

    [Fact]
    public void WrongLengthOrAlphabetIsMalformed()
    {
        var secret = TokenSecret.Generate(ApiType.Scim);
        Assert.Equal(TokenFormatCheck.Malformed, TokenSecret.Check(secret + "a", out _));
        Assert.Equal(TokenFormatCheck.Malformed, TokenSecret.Check(secret[..^1], out _));
        Assert.Equal(TokenFormatCheck.Malformed, TokenSecret.Check(secret[..^1] + "-", out _));
    }

    [Fact]
    public void HintShowsPrefixAndOnlyTheLastFourCharacters()
    {
        var secret = TokenSecret.Generate(ApiType.Configuration);
        var hint = TokenSecret.Hint(secret);

        Assert.Equal("atp_cfg_…" + secret[^4..], hint);
        Assert.DoesNotContain(secret[8..20], hint);
    }

    [Fact]
    public void HashIsSha256OfTheSecret()
    {
        var secret = TokenSecret.Generate(ApiType.Rest);
        Assert.Equal(32, TokenSecret.Hash(secret).Length);
        Assert.Equal(TokenSecret.Hash(secret), TokenSecret.Hash(secret));
        Assert.NotEqual(TokenSecret.Hash(secret), TokenSecret.Hash(TokenSecret.Generate(ApiType.Rest)));
    }
}

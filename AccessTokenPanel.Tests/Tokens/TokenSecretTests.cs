using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
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

    [Theory]
    [InlineData(ApiType.Configuration)]
    [InlineData(ApiType.Scim)]
    [InlineData(ApiType.Rest)]
    public void ThePublishedPatternFindsFreshSecretsOfEveryApiInText(ApiType api)
    {
        var secret = TokenSecret.Generate(api);

        foreach (var text in new[] { secret, $"export PANEL_TOKEN={secret}\n", $"{{\"token\":\"{secret}\"}}", $"Authorization: Bearer {secret}" })
        {
            var match = Regex.Match(text, TokenSecret.Pattern);
            Assert.True(match.Success, text);
            Assert.Equal(secret, match.Value);
        }
    }

    [Fact]
    public void ThePublishedPatternSkipsNearMisses()
    {
        var secret = TokenSecret.Generate(ApiType.Rest);
        var payload = secret["atp_rest_".Length..];
        string[] nearMisses =
        [
            secret[..^1],                       // one character short
            secret + "a",                       // one too many
            secret + "_x",                      // glued to more word characters
            "x" + secret,                       // glued on the left
            "atp_xyz_" + payload,               // no such API
            "ATP_REST_" + payload,              // the prefix is lower case
            "atp_rest" + payload,               // no separator
            "atp_rest_" + payload[..^1] + "-",  // a character outside base62
            "ghp_" + payload,                   // someone else's prefix
        ];

        Assert.All(nearMisses, text => Assert.DoesNotMatch(TokenSecret.Pattern, text));
    }

    [Fact]
    public void TheChecksumIsTheOneTheReadmeDescribes()
    {
        // Written from the README's words, not from TokenSecret: SHA-256 over the ASCII of everything
        // before the checksum, the first 4 bytes as a big-endian unsigned number, 6 base62 digits
        // (0-9, A-Z, a-z), most significant first, zero-padded.
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        foreach (var api in ApiTypes.All)
        {
            var secret = TokenSecret.Generate(api);
            var digest = SHA256.HashData(Encoding.ASCII.GetBytes(secret[..^6]));
            var value = ((ulong)digest[0] << 24) | ((ulong)digest[1] << 16) | ((ulong)digest[2] << 8) | digest[3];
            var checksum = new StringBuilder();
            for (var i = 0; i < 6; i++)
            {
                checksum.Insert(0, digits[(int)(value % 62)]);
                value /= 62;
            }

            Assert.Equal(secret[^6..], checksum.ToString());
        }
    }

    [Fact]
    public void TheReadmeQuotesThePattern()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AccessTokenPanel.sln")))
        {
            folder = folder.Parent;
        }
        Assert.NotNull(folder);

        var readme = File.ReadAllText(Path.Combine(folder.FullName, "README.md"));

        Assert.Contains($"`{TokenSecret.Pattern}`", readme);
        // The pattern's length agrees with the generator's.
        Assert.Contains($"{{{TokenSecret.RandomLength + TokenSecret.ChecksumLength}}}", TokenSecret.Pattern);
    }
}

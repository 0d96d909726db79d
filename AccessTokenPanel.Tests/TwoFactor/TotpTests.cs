using System.Text;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Domain.TwoFactor;

namespace AccessTokenPanel.Tests.TwoFactor;

public class TotpTests
{
    // RFC 6238 appendix B, SHA-1 column: seed "12345678901234567890", 8 digits, 30-second steps.
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void ComputeCodeMatchesRfc6238TestVectors(long unixSeconds, string expected)
    {
        var key = Encoding.ASCII.GetBytes("12345678901234567890");
        var step = Totp.TimeStepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

        Assert.Equal(expected, Totp.ComputeCode(key, step, digits: 8));
    }

    [Theory]
    [InlineData("JBSWY3DPEHPK3PXP", "2026-11-22T12:00:00Z")]
    [InlineData("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "2030-01-01T00:00:29Z")]
    [InlineData("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ", "2026-03-05T17:45:13Z")]
    public void SixDigitCodesAgreeWithOathtool(string base32Key, string instant)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(Oathtool.Totp(base32Key, at), Totp.ComputeCode(Base32.Decode(base32Key), Totp.TimeStepAt(at)));
    }
}

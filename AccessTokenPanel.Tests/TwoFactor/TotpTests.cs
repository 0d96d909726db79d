using System.Text;
using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Tests.Infrastructure;
using OtpNet;

namespace AccessTokenPanel.Tests.TwoFactor;

/// <summary>The RFC 6238 arithmetic is Otp.NET's; these pin it to the RFC and to oathtool, as we use it.</summary>
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
    public void CodesMatchRfc6238TestVectors(long unixSeconds, string expected)
    {
        var key = Encoding.ASCII.GetBytes("12345678901234567890");

        Assert.Equal(expected, new Totp(key, totpSize: 8).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime));
    }

    [Theory]
    [InlineData("JBSWY3DPEHPK3PXP", "2026-11-22T12:00:00Z")]
    [InlineData("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "2030-01-01T00:00:29Z")]
    [InlineData("hxdm vjec jjws rb3h wizr 4ifu gftm xboz", "2026-03-05T17:45:13Z")]
    public void SixDigitCodesFromIdentityKeysAgreeWithOathtool(string base32Key, string instant)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        var key = AuthenticatorKey.Decode(base32Key)!;

        Assert.Equal(Oathtool.Totp(base32Key.Replace(" ", "").ToUpperInvariant(), at), new Totp(key).ComputeTotp(at.UtcDateTime));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base32!")]
    public void AMissingOrMalformedKeyIsNoKey(string? base32Key) =>
        Assert.Null(AuthenticatorKey.Decode(base32Key));
}

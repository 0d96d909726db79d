using System.Net;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Tests.Tokens;

public class AddressAllowlistTests
{
    private static string? Stored(params string[] entries)
    {
        var parsed = AddressAllowlist.Parse(entries);
        Assert.True(parsed.Succeeded, string.Join(" ", parsed.Errors.Select(e => e.Message)));
        return parsed.Stored;
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.1.0/24", "192.168.1.255", true)]
    [InlineData("192.168.1.0/24", "192.168.2.0", false)]
    [InlineData("203.0.113.7", "203.0.113.7", true)]
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    [InlineData("0.0.0.0/0", "198.51.100.1", true)]
    public void Ipv4NetworksMatchTheAddressesInsideThem(string entry, string client, bool allowed) =>
        Assert.Equal(allowed, AddressAllowlist.Allows(Stored(entry), IPAddress.Parse(client)));

    [Theory]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8::1", "2001:0db8:0000::0001", true)]
    [InlineData("2001:db8::1", "2001:db8::2", false)]
    [InlineData("fd00::/8", "fdff:1::5", true)]
    public void Ipv6NetworksMatchTheAddressesInsideThem(string entry, string client, bool allowed) =>
        Assert.Equal(allowed, AddressAllowlist.Allows(Stored(entry), IPAddress.Parse(client)));

    [Theory]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "::ffff:11.1.2.3", false)]
    [InlineData("::ffff:10.0.0.0/104", "10.9.9.9", true)]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7", true)]
    [InlineData("::ffff:203.0.113.7", "::ffff:203.0.113.7", true)]
    public void Ipv4MappedIpv6AddressesCountAsTheirIpv4Address(string entry, string client, bool allowed) =>
        Assert.Equal(allowed, AddressAllowlist.Allows(Stored(entry), IPAddress.Parse(client)));

    [Fact]
    public void AnIpv4NetworkDoesNotMatchAnIpv6AddressThatIsNotMapped() =>
        Assert.False(AddressAllowlist.Allows(Stored("0.0.0.0/0"), IPAddress.Parse("2001:db8::1")));

    [Fact]
    public void NoListAllowsEveryAddressButAListRefusesAnUnknownAddress()
    {
        Assert.True(AddressAllowlist.Allows(null, IPAddress.Parse("198.51.100.1")));
        Assert.True(AddressAllowlist.Allows(null, null));
        Assert.False(AddressAllowlist.Allows(Stored("10.0.0.0/8"), null));
    }

    [Fact]
    public void EntriesAreStoredNormalisedWithoutDuplicates()
    {
        var parsed = AddressAllowlist.Parse(" 10.0.0.0/8,\n2001:0DB8::/32 ; ::ffff:192.0.2.1\n10.0.0.0/8\n\n 2001:db8::5/128 ");

        Assert.True(parsed.Succeeded);
        Assert.Equal("10.0.0.0/8,2001:db8::/32,192.0.2.1,2001:db8::5", parsed.Stored);
        Assert.Equal(["10.0.0.0/8", "2001:db8::/32", "192.0.2.1", "2001:db8::5"], AddressAllowlist.Entries(parsed.Stored));
    }

    [Fact]
    public void AnEmptyListMeansFromAnywhere()
    {
        Assert.Null(AddressAllowlist.Parse(" \n , ").Stored);
        Assert.Null(AddressAllowlist.Parse((IEnumerable<string?>?)null).Stored);
    }

    [Theory]
    [InlineData("10.0.0.1/8", "has bits set after the /8 prefix: the network is 10.0.0.0/8")]
    [InlineData("2001:db8::1/32", "the network is 2001:db8::/32")]
    [InlineData("10.0.0.0/33", "must be a number from 0 to 32")]
    [InlineData("2001:db8::/129", "must be a number from 0 to 128")]
    [InlineData("10.0.0.0/x", "must be a number from 0 to 32")]
    [InlineData("10.1", "is not an IP address or network")]
    [InlineData("010.0.0.1", "is not an IP address or network")]
    [InlineData("example.com", "is not an IP address or network")]
    [InlineData("fe80::1%eth0", "is not an IP address or network")]
    [InlineData("::ffff:10.0.0.0/8", "needs a prefix of /96 or longer")]
    public void MalformedEntriesAreRefusedWithAMessageThatNamesThem(string entry, string expected)
    {
        var parsed = AddressAllowlist.Parse([entry, "10.0.0.0/8"]);

        Assert.False(parsed.Succeeded);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal(TokenErrorCodes.AddressInvalid, error.Code);
        Assert.Equal(TokenFields.AllowedAddresses, error.Field);
        Assert.Contains($"'{entry}'", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void MoreThanTwentyEntriesAreRefused()
    {
        var twenty = Enumerable.Range(1, TokenRules.MaxAllowedAddresses).Select(i => $"192.0.2.{i}").ToList();

        Assert.True(AddressAllowlist.Parse(twenty).Succeeded);
        var parsed = AddressAllowlist.Parse([.. twenty, "192.0.2.100"]);

        Assert.Equal(TokenErrorCodes.TooManyAddresses, Assert.Single(parsed.Errors).Code);
        Assert.Contains("at most 20", parsed.Errors[0].Message);
    }

    [Fact]
    public void TwentyOfTheLongestEntriesFitTheColumn()
    {
        // 43 characters each: eight full groups and a two-digit prefix.
        var stored = AddressAllowlist.Parse(Enumerable.Range(0, TokenRules.MaxAllowedAddresses)
            .Select(i => $"ffff:ffff:ffff:ffff:ffff:ffff:ffff:{0xff00 + (2 * i):x4}/127")).Stored!;

        Assert.Equal(TokenRules.MaxAllowedAddresses, AddressAllowlist.Entries(stored).Count);
        Assert.All(AddressAllowlist.Entries(stored), e => Assert.Equal(43, e.Length));
        Assert.True(stored.Length <= TokenRules.AllowedAddressesColumnLength, $"{stored.Length} characters");
    }
}

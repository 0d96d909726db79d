using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Tests.Tokens;

public class LeakSightingTests
{
    [Fact]
    public void AnHttpsUrlAndASourceAreKept()
    {
        var sighting = LeakSighting.Create(" https://github.com/octo/repo/blob/abc/deploy.sh ", "commit");

        Assert.Equal("https://github.com/octo/repo/blob/abc/deploy.sh", sighting.Url);
        Assert.Equal("commit", sighting.Source);
        Assert.Equal("found in commit at https://github.com/octo/repo/blob/abc/deploy.sh", sighting.Describe());
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("some_url")]
    [InlineData("/relative/path")]
    [InlineData("")]
    [InlineData(null)]
    public void AnythingButAnAbsoluteHttpUrlIsDropped(string? url)
    {
        var sighting = LeakSighting.Create(url, "content");

        Assert.Null(sighting.Url);
        Assert.Equal("found in content, no URL given", sighting.Describe());
    }

    [Fact]
    public void AnOverlongUrlIsDroppedRatherThanCut()
    {
        Assert.Null(LeakSighting.Create("https://example.com/" + new string('a', LeakSighting.UrlMaxLength), null).Url);
    }

    [Fact]
    public void ControlCharactersGoAndTheSourceIsBounded()
    {
        var sighting = LeakSighting.Create("https://example.com/a\r\nb", "issue_comment\n" + new string('x', 100) + "\u0007");

        Assert.Equal("https://example.com/ab", sighting.Url);
        Assert.Equal(LeakSighting.SourceMaxLength, sighting.Source!.Length);
        Assert.DoesNotContain('\n', sighting.Source);
        Assert.Equal("no place given", LeakSighting.Create(null, "\u0001\u0002").Describe());
    }
}

using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using Bunit;

namespace AccessTokenPanel.Tests.Tokens.Screens;

public sealed class TokenTableTests : Infrastructure.MudComponentTest
{
    private static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ExpiryShowsTheDateAndTheTimeLeftOrSinceExpiry()
    {
        var cut = RenderTable(
            Token("in-twelve", expiresAt: Now.AddDays(12)),
            Token("three-ago", expiresAt: Now.AddDays(-3)));

        Assert.Contains("2026-12-04", Cell(cut, "in-twelve", "Expires").TextContent);
        Assert.Contains("in 12 days", Cell(cut, "in-twelve", "Expires").TextContent);
        Assert.Contains("2026-11-19", Cell(cut, "three-ago", "Expires").TextContent);
        Assert.Contains("expired 3 days ago", Cell(cut, "three-ago", "Expires").TextContent);
    }

    [Fact]
    public void StatusSaysActiveExpiredOrRevoked()
    {
        var cut = RenderTable(
            Token("live", expiresAt: Now.AddDays(30)),
            Token("old", expiresAt: Now.AddDays(-1)),
            Token("gone", expiresAt: Now.AddDays(30), revokedAt: Now.AddDays(-2)));

        Assert.Equal("Active", Cell(cut, "live", "Status").TextContent.Trim());
        Assert.Equal("Expired", Cell(cut, "old", "Status").TextContent.Trim());
        Assert.Equal("Revoked", Cell(cut, "gone", "Status").TextContent.Trim());
    }

    [Fact]
    public void TokensExpiringWithinSevenDaysAreMarked()
    {
        var cut = RenderTable(
            Token("five-days", expiresAt: Now.AddDays(5)),
            Token("seven-days", expiresAt: Now.AddDays(7)),
            Token("eight-days", expiresAt: Now.AddDays(8)),
            Token("expired", expiresAt: Now.AddDays(-1)));

        Assert.Contains("Expires soon", Row(cut, "five-days").TextContent);
        Assert.Contains("Expires soon", Row(cut, "seven-days").TextContent);
        Assert.DoesNotContain("Expires soon", Row(cut, "eight-days").TextContent);
        Assert.DoesNotContain("Expires soon", Row(cut, "expired").TextContent);
    }

    [Fact]
    public void NeverUsedAndLastUsedAreShown()
    {
        var used = Token("used", expiresAt: Now.AddDays(30));
        used.LastUsedAt = Now.AddHours(-3);
        var cut = RenderTable(used, Token("unused", expiresAt: Now.AddDays(30)));

        Assert.Equal("3 hours ago", Cell(cut, "used", "Last used").TextContent.Trim());
        Assert.Equal("Never", Cell(cut, "unused", "Last used").TextContent.Trim());
    }

    [Fact]
    public void RevokedTokensOfferNoDelete()
    {
        var cut = RenderTable(
            Token("live", expiresAt: Now.AddDays(30)),
            Token("gone", expiresAt: Now.AddDays(30), revokedAt: Now.AddDays(-2)));

        Assert.Single(Row(cut, "live").QuerySelectorAll("button"), b => b.TextContent == "Delete");
        Assert.Empty(Row(cut, "gone").QuerySelectorAll("button"));
    }

    [Fact]
    public void DeleteAsksThePageAboutThatRow()
    {
        var token = Token("live", expiresAt: Now.AddDays(30));
        TokenRow? asked = null;
        var cut = Render<TokenTable>(p => p
            .Add(t => t.Rows, [new TokenRow(token, null)])
            .Add(t => t.Now, Now)
            .Add(t => t.State, TokenListState.From(null, null, null, null, null, null))
            .Add(t => t.Path, "tokens")
            .Add(t => t.OnDelete, row => asked = row));

        Row(cut, "live").QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        Assert.Equal(token.Id, asked?.Token.Id);
    }

    [Fact]
    public void SortHeadersLinkToTheSortedListKeepingFiltersAndMarkTheActiveColumn()
    {
        var cut = RenderTable(TokenListState.From("all", "rest", "name", "asc", 2, null), Token("live", expiresAt: Now.AddDays(30)));

        var name = cut.FindAll("th").Single(h => h.TextContent.Trim() == "Name");
        Assert.Equal("ascending", name.GetAttribute("aria-sort"));
        Assert.Equal("tokens?status=all&api=rest&sort=name&dir=desc", name.QuerySelector("a")!.GetAttribute("href"));
        var expires = cut.FindAll("th").Single(h => h.TextContent.Trim() == "Expires");
        Assert.Null(expires.GetAttribute("aria-sort"));
        Assert.Equal("tokens?status=all&api=rest&sort=expires&dir=asc", expires.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void AParentWithLiveAccessTokensShowsHowManyAndWhenTheLastExpires()
    {
        var parent = Token("ci deploy", expiresAt: Now.AddDays(30));
        var plain = Token("plain", expiresAt: Now.AddDays(30));
        var single = Token("single", expiresAt: Now.AddDays(30));
        var cut = Render<TokenTable>(p => p
            .Add(t => t.Rows, [
                new TokenRow(parent, null, new DerivedTokenSummary(parent.Id, 3, Now.AddMinutes(52))),
                new TokenRow(plain, null),
                new TokenRow(single, null, new DerivedTokenSummary(single.Id, 1, Now.AddMinutes(60))),
            ])
            .Add(t => t.Now, Now)
            .Add(t => t.State, TokenListState.From(null, null, null, null, null, null))
            .Add(t => t.Path, "tokens"));

        Assert.Equal("3 access tokens, last expires in 52 minutes", Cell(cut, "ci deploy", "Name").QuerySelector(".token-derived")!.TextContent);
        Assert.Equal("1 access token, last expires in 1 hour", Cell(cut, "single", "Name").QuerySelector(".token-derived")!.TextContent);
        Assert.Null(Cell(cut, "plain", "Name").QuerySelector(".token-derived"));
    }

    private IRenderedComponent<TokenTable> RenderTable(params AccessToken[] tokens) =>
        RenderTable(TokenListState.From(null, null, null, null, null, null), tokens);

    private IRenderedComponent<TokenTable> RenderTable(TokenListState state, params AccessToken[] tokens)
    {
        return Render<TokenTable>(p => p
            .Add(t => t.Rows, tokens.Select(t => new TokenRow(t, null)).ToList())
            .Add(t => t.Now, Now)
            .Add(t => t.State, state)
            .Add(t => t.Path, "tokens"));
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<TokenTable> cut, string name) =>
        cut.FindAll("tbody tr").Single(r => r.QuerySelector(".token-name")!.TextContent == name);

    private static AngleSharp.Dom.IElement Cell(IRenderedComponent<TokenTable> cut, string name, string column) =>
        Row(cut, name).QuerySelector($"td[data-label='{column}']")!;

    private static AccessToken Token(string name, DateTime expiresAt, DateTime? revokedAt = null) => new()
    {
        Id = Guid.NewGuid(),
        OwnerId = "owner",
        Name = name,
        ApiType = ApiType.Rest,
        SecretHash = new byte[32],
        Hint = "atp_rest_…abcd",
        CreatedAt = Now.AddDays(-30),
        ExpiresAt = expiresAt,
        RevokedAt = revokedAt,
    };
}

using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>The typed-"yes" decision on a real database (the dialog itself: <see cref="DeleteTokenDialogTests"/>).</summary>
public class TokenDeletionTests
{
    [Theory]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("Yes", false)]
    [InlineData("YES", false)]
    [InlineData(" yes", false)]
    [InlineData("y", false)]
    public void OnlyExactlyYesConfirms(string? typed, bool confirmed) =>
        Assert.Equal(confirmed, TokenDeletion.IsConfirmed(typed));

    [Fact]
    public async Task TypingYesDeletesTheToken()
    {
        await using var db = new SqliteTestDatabase();
        var (token, owner) = await TokenOfNewUserAsync(db);

        var outcome = await DeleteAsync(db, token, "yes", owner);

        Assert.True(outcome.Deleted);
        Assert.Contains("was deleted", outcome.Message);
        Assert.Equal(TokenStatus.Revoked, await StatusAsync(db, token));
    }

    [Theory]
    [InlineData("no", "Nothing was deleted: you typed \"no\", not yes.")]
    [InlineData("", "Nothing was deleted: type yes to confirm.")]
    [InlineData(null, "Nothing was deleted: type yes to confirm.")]
    [InlineData("Yes", "Nothing was deleted: you typed \"Yes\", not yes.")]
    public async Task AnythingButYesDeletesNothingAndSaysSo(string? typed, string message)
    {
        await using var db = new SqliteTestDatabase();
        var (token, owner) = await TokenOfNewUserAsync(db);

        var outcome = await DeleteAsync(db, token, typed, owner);

        Assert.False(outcome.Deleted);
        Assert.Equal(message, outcome.Message);
        Assert.Equal(TokenStatus.Active, await StatusAsync(db, token));
    }

    [Fact]
    public async Task DeleteAllWithYesRevokesEveryTokenOfTheUserOnly()
    {
        await using var db = new SqliteTestDatabase();
        var owner = await db.AddUserAsync("owner@example.com");
        var other = await db.AddUserAsync("other@example.com");
        await ScreenTestData.IssueAsync(db.Services, owner.Id, "one");
        await ScreenTestData.IssueAsync(db.Services, owner.Id, "two");
        var othersToken = await ScreenTestData.IssueAsync(db.Services, other.Id, "theirs");

        await using (var scope = db.Scope())
        {
            var refused = await ActivatorUtilities.CreateInstance<TokenDeletion>(scope.ServiceProvider)
                .DeleteAllAsync(await scope.ServiceProvider.SessionAsync(owner.Id), "no");
            Assert.False(refused.Deleted);
        }
        await using (var scope = db.Scope())
        {
            var outcome = await ActivatorUtilities.CreateInstance<TokenDeletion>(scope.ServiceProvider)
                .DeleteAllAsync(await scope.ServiceProvider.SessionAsync(owner.Id), "yes");
            Assert.Equal("2 tokens were deleted. None of them work any more.", outcome.Message);
        }

        await using var check = db.Scope();
        var tokens = await check.ServiceProvider.GetRequiredService<Domain.Data.PanelDbContext>().AccessTokens.ToListAsync();
        Assert.All(tokens.Where(t => t.OwnerId == owner.Id), t => Assert.NotNull(t.RevokedAt));
        Assert.Null(tokens.Single(t => t.Id == othersToken.Id).RevokedAt);
    }

    private static async Task<(AccessToken Token, string OwnerId)> TokenOfNewUserAsync(SqliteTestDatabase db)
    {
        var owner = await db.AddUserAsync("owner@example.com");
        return (await ScreenTestData.IssueAsync(db.Services, owner.Id, "ci deploy"), owner.Id);
    }

    private static async Task<DeletionOutcome> DeleteAsync(SqliteTestDatabase db, AccessToken token, string? typed, string actorId)
    {
        await using var scope = db.Scope();
        return await ActivatorUtilities.CreateInstance<TokenDeletion>(scope.ServiceProvider)
            .DeleteAsync(await scope.ServiceProvider.SessionAsync(actorId), token.Id, token.Name, typed);
    }

    private static async Task<TokenStatus> StatusAsync(SqliteTestDatabase db, AccessToken token)
    {
        await using var scope = db.Scope();
        var stored = await scope.ServiceProvider.GetRequiredService<Domain.Data.PanelDbContext>().AccessTokens.SingleAsync(t => t.Id == token.Id);
        return stored.StatusAt(db.Time.GetUtcNow().UtcDateTime);
    }
}

using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Components.Pages.Users;

namespace AccessTokenPanel.Tests.Localization;

/// <summary>The Users screen's refusals: Japanese by their kind, English as the Domain (or the page) words them.</summary>
public sealed class JapaneseUserRefusalsTests
{
    [Fact]
    public void TheUsersPageRefusalsReadInJapaneseAndStayAsTheyWereInEnglish()
    {
        var outranked = new UserAccountResult(UserAccountError.OutrankedTarget, "The user holds permissions you do not, so you cannot change this account.");
        var self = new UserAccountResult(UserAccountError.Self, "You cannot disable your own account.", "active");
        var role = new UserAccountResult(UserAccountError.RoleNotDelegable, "You cannot give the role Super Administrator: it has permissions you do not hold.", "roles");

        TestCulture.Run("ja", () =>
        {
            Assert.Equal("このユーザーはあなたが持たない権限を持っているため、このアカウントは変更できません。", UserAdministration.ToPage(outranked).Message);
            Assert.Equal("自分のアカウントにはこの操作を行えません。", UserAdministration.ToPage(self).Message);
            Assert.Equal("あなたが持たない権限を含むロールは、付与も変更もできません。", UserAdministration.ToPage(role).Message);
        });
        TestCulture.Run("en", () =>
        {
            Assert.Equal(outranked.Message, UserAdministration.ToPage(outranked).Message);
            Assert.Equal("You cannot do this to your own account.", UserAdministration.ToPage(self).Message);
            Assert.Equal(role.Message, UserAdministration.ToPage(role).Message);
        });
    }
}

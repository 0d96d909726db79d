using AccessTokenPanel.Tests.Infrastructure;
using System.Globalization;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Settings;
using AccessTokenPanel.Web.Components.Pages.Settings;

namespace AccessTokenPanel.Tests.Localization;

/// <summary>
/// The Settings screen's refusals by error code: in Japanese the translation with the limits it
/// names, in English the Domain's own message unchanged (which the APIs send as their detail).
/// </summary>
public sealed class JapaneseSettingsMessagesTests
{
    [Fact]
    public void ARefusalIsTranslatedByItsCodeWithItsLimitsAndStaysTheDomainsMessageInEnglish()
    {
        var maxLifetime = SettingsError.MaxLifetimeOutOfRange();
        var nameTaken = new DomainError("name-taken", "Name", "Another validator has this name.");
        var unknownCode = new DomainError("no-such-code", "", "Something only the Domain says.");

        TestCulture.Run("ja", () =>
        {
            Assert.Equal($"最長有効期間は 1〜{PanelSettings.MaxLifetimeDaysLimit} 日にしてください。", SettingsMessages.Text(maxLifetime));
            // "name-taken" is a token's name elsewhere; beside a validator it is another validator's.
            Assert.Equal("この名前の検証はすでにあります。", SettingsMessages.ValidatorText(nameTaken));
            Assert.Equal("Something only the Domain says.", SettingsMessages.Text(unknownCode));
        });
        TestCulture.Run("en", () =>
        {
            Assert.Equal(maxLifetime.Message, SettingsMessages.Text(maxLifetime));
            Assert.Equal(nameTaken.Message, SettingsMessages.ValidatorText(nameTaken));
        });
    }
}

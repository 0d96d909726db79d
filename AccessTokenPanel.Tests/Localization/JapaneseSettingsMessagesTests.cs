using AccessTokenPanel.Tests.Infrastructure;
using System.Globalization;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Policies;
using AccessTokenPanel.Domain.Tokens;
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

    [Fact]
    public void WhyATokenIsOverItsPolicyReadsInJapaneseAndStaysTheDomainsWordsInEnglish()
    {
        var now = new DateTime(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc);
        var noAddresses = new OverPolicyToken(Guid.NewGuid(), "u-1", "export", ApiType.Rest, "…1a2b", now, now.AddDays(300), null, OverPolicyReason.AddressesRequired, 183);
        var tooLong = noAddresses with { Why = OverPolicyReason.LivesTooLong };

        TestCulture.Run("ja", () =>
        {
            Assert.Equal("ポリシーでは許可するクライアントアドレスが必要ですが、このトークンにはありません。", SettingsMessages.Why(noAddresses));
            Assert.Equal("ポリシーの 183 日より長く有効です。", SettingsMessages.Why(tooLong));
        });
        TestCulture.Run("en", () =>
        {
            Assert.Equal("The policy requires allowed client addresses, and this token has none.", SettingsMessages.Why(noAddresses));
            Assert.Equal("It lives longer than the policy's 183 days.", SettingsMessages.Why(tooLong));
        });
    }

    [Theory]
    [InlineData("The email channel is no longer configured.", "email チャネルはもう設定されていません。")]
    [InlineData("There is nowhere to send it (the owner has no email address).", "送り先がありません（所有者にメールアドレスがありません）。")]
    [InlineData("The webhook answered 503 Service Unavailable.", "Webhook が 503 Service Unavailable を返しました。")]
    [InlineData("The webhook did not answer within 10 seconds.", "Webhook が 10 秒以内に応答しませんでした。")]
    [InlineData("The webhook could not be reached: Connection refused (127.0.0.1:9)", "Webhook に接続できませんでした：Connection refused (127.0.0.1:9)")]
    [InlineData("The sink took only part of the batch.", "送信先がバッチの一部しか受け取りませんでした。")]
    [InlineData("The syslog server logs.example.test:514 did not answer within 5 seconds.", "syslog サーバー logs.example.test:514 が 5 秒以内に応答しませんでした。")]
    [InlineData("The syslog server logs.example.test:514 could not be reached: No route to host", "syslog サーバー logs.example.test:514 に接続できませんでした：No route to host")]
    // What a library said stays as it came.
    [InlineData("SMTP mail.example.test:587: 535 Authentication failed", "SMTP mail.example.test:587: 535 Authentication failed")]
    public void ADeliveryErrorThePanelWroteReadsInJapaneseAndEnglishStaysAsStored(string stored, string japanese)
    {
        TestCulture.Run("ja", () => Assert.Equal(japanese, SettingsMessages.DeliveryError(stored)));
        TestCulture.Run("en", () => Assert.Equal(stored, SettingsMessages.DeliveryError(stored)));
    }
}

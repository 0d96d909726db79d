using Microsoft.Extensions.Localization;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>The texts of the account pages: sign-in, the code step, enrollment (AccountTexts.resx, AccountTexts.ja.resx).</summary>
public sealed class AccountTexts
{
    internal static IStringLocalizer Localizer { get; } = Localization.StaticLocalizer.For<AccountTexts>();
}

/// <summary>
/// The account forms' validation messages for data annotations (<c>ErrorMessageResourceType</c>):
/// read when a form is validated, so in the language of that request.
/// </summary>
public static class AccountValidation
{
    public static string EnterEmail => AccountTexts.Localizer["Enter your email address."];

    public static string EnterValidEmail => AccountTexts.Localizer["Enter a valid email address."];

    public static string EnterPassword => AccountTexts.Localizer["Enter your password."];

    public static string EnterCodeFromApp => AccountTexts.Localizer["Enter the code from your authenticator app."];

    public static string EnterCodeAppShows => AccountTexts.Localizer["Enter the code your authenticator app shows."];

    public static string CodeIsSixDigits => AccountTexts.Localizer["The code is 6 digits."];

    public static string EnterRecoveryCode => AccountTexts.Localizer["Enter one of your recovery codes."];

    public static string ChoosePassword => AccountTexts.Localizer["Choose a password."];

    public static string PasswordTooShort => AccountTexts.Localizer["The password must be at least 12 characters."];

    public static string TypePasswordAgain => AccountTexts.Localizer["Type the password again."];

    public static string PasswordsDiffer => AccountTexts.Localizer["The passwords do not match."];

    public static string EnterPasskeyName => AccountTexts.Localizer["Enter a name for the passkey."];

    public static string PasskeyNameTooLong => AccountTexts.Localizer["A passkey name has at most 100 characters."];
}

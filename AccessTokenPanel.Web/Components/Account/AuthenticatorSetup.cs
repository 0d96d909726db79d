using System.Text;
using QRCoder;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>What an authenticator app needs to enroll: the otpauth URI (as a QR code) and the key.</summary>
public static class AuthenticatorSetup
{
    public const string Issuer = "AccessTokenPanel";

    /// <summary>Google Authenticator's key URI format: label "issuer:account", issuer repeated as a parameter.</summary>
    public static string OtpAuthUri(string email, string base32Key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}" +
        $"?secret={base32Key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";

    public static byte[] QrPng(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(5);
    }

    public static string QrPngDataUri(string text) => "data:image/png;base64," + Convert.ToBase64String(QrPng(text));

    /// <summary>The key in groups of four, easier to type ("ABCD EFGH ...").</summary>
    public static string Readable(string base32Key)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < base32Key.Length; i += 4)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }
            builder.Append(base32Key.AsSpan(i, Math.Min(4, base32Key.Length - i)));
        }
        return builder.ToString();
    }
}

using OtpNet;

namespace AccessTokenPanel.Domain.TwoFactor;

/// <summary>The shared key of an authenticator app as Identity stores it: base32 text.</summary>
public static class AuthenticatorKey
{
    /// <summary>The key's bytes, or null when there is no key or it is not base32.</summary>
    public static byte[]? Decode(string? base32)
    {
        // Keys are shown in groups ("jbsw y3dp ..."); Otp.NET refuses the spaces (recipe pitfall 11).
        var compact = base32?.Replace(" ", "").Replace("-", "");
        if (string.IsNullOrEmpty(compact))
        {
            return null;
        }
        try
        {
            var bytes = Base32Encoding.ToBytes(compact);
            return bytes.Length == 0 ? null : bytes;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace AccessTokenPanel.Domain.SecretsAtRest;

/// <summary>
/// How second-factor secrets are stored: the authenticator key encrypted with Data Protection
/// (it must be read back to check codes), recovery codes as salted PBKDF2 hashes (they only need
/// to be recognised). A prefix marks the stored form, so rows written before this existed are
/// still read, and converted once at start-up.
/// </summary>
public sealed class TwoFactorSecrets(IDataProtectionProvider dataProtection)
{
    /// <summary>The Data Protection purpose; changing it makes every stored key unreadable.</summary>
    public const string KeyPurpose = "AccessTokenPanel.AuthenticatorKey.v1";

    private const string ProtectedKeyPrefix = "dp1:";
    private const string HashedCodesPrefix = "h1:";
    // One derivation per redemption attempt, ten per new set: slow enough to make a stolen row
    // costly to brute-force (codes have 50 bits), cheap enough for a sign-in.
    private const int Iterations = 20_000;

    private readonly IDataProtector _protector = dataProtection.CreateProtector(KeyPurpose);

    public static bool IsProtectedKey(string? stored) => stored?.StartsWith(ProtectedKeyPrefix, StringComparison.Ordinal) == true;

    public static bool AreHashedCodes(string? stored) => stored?.StartsWith(HashedCodesPrefix, StringComparison.Ordinal) == true;

    public string ProtectKey(string key) => ProtectedKeyPrefix + _protector.Protect(key);

    /// <summary>The clear key; a row from before encryption is returned as it is.</summary>
    public string? UnprotectKey(string? stored) =>
        IsProtectedKey(stored) ? _protector.Unprotect(stored![ProtectedKeyPrefix.Length..]) : stored;

    /// <summary><c>h1:salt;hash;hash;...</c> (base64), one salt for the set so a redemption derives once.</summary>
    public static string HashCodes(IEnumerable<string> codes)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return Format(salt, codes.Select(code => Derive(code, salt)));
    }

    /// <summary>Hashes a set stored in clear by Identity (<c>;</c>-joined).</summary>
    public static string HashClearCodes(string clear) =>
        HashCodes(clear.Split(';', StringSplitOptions.RemoveEmptyEntries));

    public static int Count(string? stored) =>
        string.IsNullOrEmpty(stored) ? 0
        : AreHashedCodes(stored) ? Parse(stored).Hashes.Count
        : stored.Split(';', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>The set without <paramref name="code"/>, or null when the code is not in it.</summary>
    public static string? Redeem(string? stored, string code)
    {
        if (string.IsNullOrEmpty(stored) || string.IsNullOrEmpty(code))
        {
            return null;
        }
        if (!AreHashedCodes(stored))
        {
            var clear = stored.Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
            return clear.Remove(code) ? HashCodes(clear) : null;
        }
        var (salt, hashes) = Parse(stored);
        var candidate = Derive(code, salt);
        var match = hashes.FindIndex(hash => CryptographicOperations.FixedTimeEquals(hash, candidate));
        if (match < 0)
        {
            return null;
        }
        hashes.RemoveAt(match);
        return Format(salt, hashes);
    }

    private static byte[] Derive(string code, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(code), salt, Iterations, HashAlgorithmName.SHA256, 32);

    private static string Format(byte[] salt, IEnumerable<byte[]> hashes) =>
        HashedCodesPrefix + string.Join(';', hashes.Select(Convert.ToBase64String).Prepend(Convert.ToBase64String(salt)));

    private static (byte[] Salt, List<byte[]> Hashes) Parse(string stored)
    {
        var parts = stored[HashedCodesPrefix.Length..].Split(';', StringSplitOptions.RemoveEmptyEntries);
        return (Convert.FromBase64String(parts[0]), parts.Skip(1).Select(Convert.FromBase64String).ToList());
    }
}

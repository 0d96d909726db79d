using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// The secret's wire format: <c>atp_{cfg|scim|rest}_</c>, 43 random base62 characters (256 bits),
/// then 6 base62 characters of checksum (the first 32 bits of SHA-256 over everything before them).
/// The prefix lets secret scanners spot a leaked token and tells its API; the checksum lets them,
/// and us, reject a mistyped or made-up token without a database look-up.
/// </summary>
public static class TokenSecret
{
    public const int RandomLength = 43;
    public const int ChecksumLength = 6;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly SearchValues<char> AlphabetChars = SearchValues.Create(Alphabet);

    public static string PrefixOf(ApiType api) => api switch
    {
        ApiType.Configuration => "atp_cfg_",
        ApiType.Scim => "atp_scim_",
        ApiType.Rest => "atp_rest_",
        _ => throw new ArgumentOutOfRangeException(nameof(api)),
    };

    public static string Generate(ApiType api)
    {
        var body = PrefixOf(api) + RandomNumberGenerator.GetString(Alphabet, RandomLength);
        return body + Checksum(body);
    }

    /// <summary>Checks prefix, length, alphabet and checksum; touches no storage.</summary>
    public static TokenFormatCheck Check(string? presented, [NotNullWhen(true)] out ApiType? api)
    {
        api = null;
        if (string.IsNullOrEmpty(presented))
        {
            return TokenFormatCheck.Malformed;
        }
        foreach (var candidate in ApiTypes.All)
        {
            var prefix = PrefixOf(candidate);
            if (!presented.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            if (presented.Length != prefix.Length + RandomLength + ChecksumLength
                || presented.AsSpan(prefix.Length).ContainsAnyExcept(AlphabetChars))
            {
                return TokenFormatCheck.Malformed;
            }
            var split = presented.Length - ChecksumLength;
            if (!string.Equals(Checksum(presented[..split]), presented[split..], StringComparison.Ordinal))
            {
                return TokenFormatCheck.ChecksumMismatch;
            }
            api = candidate;
            return TokenFormatCheck.WellFormed;
        }
        return TokenFormatCheck.Malformed;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>A non-secret reminder: the prefix and the last four characters (checksum only).</summary>
    public static string Hint(string secret)
    {
        var prefixLength = secret.IndexOf('_', secret.IndexOf('_') + 1) + 1;
        return string.Concat(secret.AsSpan(0, prefixLength), "…", secret.AsSpan(secret.Length - 4));
    }

    private static string Checksum(string body)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(body), digest);
        var value = BinaryPrimitives.ReadUInt32BigEndian(digest);
        Span<char> chars = stackalloc char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }
        return new string(chars);
    }
}

public enum TokenFormatCheck
{
    WellFormed,
    Malformed,
    ChecksumMismatch,
}

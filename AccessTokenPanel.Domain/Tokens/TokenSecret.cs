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

    /// <summary>
    /// The regular expression a secret scanner (GitHub's partner program, a pre-commit hook) uses to
    /// find our secrets in text: a prefix naming the API, then the 43 random and 6 checksum characters
    /// (49 base62 characters), not glued to other word characters on either side. It cannot check the
    /// checksum; <see cref="Check"/> does, offline. The README quotes it verbatim.
    /// </summary>
    public const string Pattern = @"\batp_(?:cfg|scim|rest)_[0-9A-Za-z]{49}\b";
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
            Span<char> expected = stackalloc char[ChecksumLength];
            WriteChecksum(presented.AsSpan(0, split), expected);
            if (!expected.SequenceEqual(presented.AsSpan(split)))
            {
                return TokenFormatCheck.ChecksumMismatch;
            }
            api = candidate;
            return TokenFormatCheck.WellFormed;
        }
        return TokenFormatCheck.Malformed;
    }

    public static byte[] Hash(string secret)
    {
        // Real secrets are short: hash them from the stack; anything long (a caller's garbage) from the heap.
        var maxBytes = Encoding.UTF8.GetMaxByteCount(secret.Length);
        Span<byte> utf8 = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        return SHA256.HashData(utf8[..length]);
    }

    /// <summary>A non-secret reminder: the prefix and the last four characters (checksum only).</summary>
    public static string Hint(string secret)
    {
        var prefixLength = secret.IndexOf('_', secret.IndexOf('_') + 1) + 1;
        return string.Concat(secret.AsSpan(0, prefixLength), "…", secret.AsSpan(secret.Length - 4));
    }

    private static string Checksum(string body)
    {
        Span<char> chars = stackalloc char[ChecksumLength];
        WriteChecksum(body, chars);
        return new string(chars);
    }

    private static void WriteChecksum(ReadOnlySpan<char> body, Span<char> chars)
    {
        Span<byte> ascii = stackalloc byte[body.Length];
        Encoding.ASCII.GetBytes(body, ascii);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(ascii, digest);
        var value = BinaryPrimitives.ReadUInt32BigEndian(digest);
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }
    }
}

public enum TokenFormatCheck
{
    WellFormed,
    Malformed,
    ChecksumMismatch,
}

using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AccessTokenPanel.Domain.TwoFactor;

/// <summary>RFC 6238 TOTP with HMAC-SHA1, 6 digits and 30-second steps (what authenticator apps use).</summary>
public static class Totp
{
    public const int Digits = 6;
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>Codes from this many steps either side of now are accepted (clock drift).</summary>
    public const int AllowedDriftSteps = 1;

    public static long TimeStepAt(DateTimeOffset instant) => instant.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    /// <summary>RFC 4226 HOTP of the step counter, truncated to <see cref="Digits"/> digits.</summary>
    public static string ComputeCode(ReadOnlySpan<byte> key, long timeStep, int digits = Digits)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, timeStep);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(key, counter, hash);
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFFFFFF) % (int)Math.Pow(10, digits);
        return binary.ToString().PadLeft(digits, '0');
    }

    /// <summary>The step within the allowed drift whose code equals <paramref name="code"/>, or null.</summary>
    public static long? FindMatchingStep(ReadOnlySpan<byte> key, string code, DateTimeOffset now)
    {
        if (code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return null;
        }
        var current = TimeStepAt(now);
        long? match = null;
        // Every candidate is computed and compared in constant time, so timing tells nothing.
        for (var step = current - AllowedDriftSteps; step <= current + AllowedDriftSteps; step++)
        {
            var candidate = ComputeCode(key, step);
            if (CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(candidate), System.Text.Encoding.ASCII.GetBytes(code)))
            {
                match ??= step;
            }
        }
        return match;
    }
}

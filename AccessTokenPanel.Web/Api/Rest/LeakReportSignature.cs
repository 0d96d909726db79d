using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Api.Rest;

public enum LeakReportSignatureCheck
{
    Valid,
    /// <summary>No key is configured: every report is refused.</summary>
    NoKeys,
    /// <summary>A header is missing or empty.</summary>
    Missing,
    /// <summary>The key identifier names no configured key.</summary>
    UnknownKey,
    /// <summary>The signature is not base64, or not the signature of this body by that key.</summary>
    Invalid,
}

/// <summary>
/// GitHub's secret scanning signature: <c>Github-Public-Key-Signature</c> is the base64 of an ECDSA
/// P-256 / SHA-256 signature (DER, RFC 3279) over the raw request body, made with the key named by
/// <c>Github-Public-Key-Identifier</c>. The keys are read once, at start (options validation has
/// refused bad ones); each check imports its key afresh, since an <see cref="ECDsa"/> object is not
/// documented as safe to share between threads and the import costs microseconds.
/// </summary>
public sealed class LeakReportSignature(IOptions<LeakReportOptions> options)
{
    public const string KeyIdentifierHeader = "Github-Public-Key-Identifier";
    public const string SignatureHeader = "Github-Public-Key-Signature";

    // A DER ECDSA P-256 signature is at most 72 bytes; anything much longer is not one.
    private const int MaxSignatureBase64Length = 256;

    private readonly Dictionary<string, byte[]> _keys = options.Value.PublicKeys.ToDictionary(
        k => k.KeyIdentifier.Trim(),
        k => LeakReportPublicKey.Import(k.Key, out _) ?? throw new InvalidOperationException($"{LeakReportOptions.Section}: a key did not import after validation."),
        StringComparer.Ordinal);

    public bool HasKeys => _keys.Count > 0;

    /// <summary>Is this a key we know? Decided before the body is read.</summary>
    public LeakReportSignatureCheck CheckHeaders(string? keyIdentifier, string? signature) =>
        !HasKeys ? LeakReportSignatureCheck.NoKeys
        : string.IsNullOrWhiteSpace(keyIdentifier) || string.IsNullOrWhiteSpace(signature) ? LeakReportSignatureCheck.Missing
        : !_keys.ContainsKey(keyIdentifier.Trim()) ? LeakReportSignatureCheck.UnknownKey
        : LeakReportSignatureCheck.Valid;

    /// <summary>Checks the signature over <paramref name="body"/>, byte for byte as received.</summary>
    public LeakReportSignatureCheck Verify(string? keyIdentifier, string? signature, ReadOnlySpan<byte> body)
    {
        var headers = CheckHeaders(keyIdentifier, signature);
        if (headers != LeakReportSignatureCheck.Valid)
        {
            return headers;
        }
        var text = signature!.Trim();
        if (text.Length > MaxSignatureBase64Length)
        {
            return LeakReportSignatureCheck.Invalid;
        }
        var der = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, der, out var length))
        {
            return LeakReportSignatureCheck.Invalid;
        }
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_keys[keyIdentifier!.Trim()], out _);
        try
        {
            return ecdsa.VerifyData(body, der.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                ? LeakReportSignatureCheck.Valid
                : LeakReportSignatureCheck.Invalid;
        }
        catch (CryptographicException)
        {
            // Bytes that are not a DER signature at all.
            return LeakReportSignatureCheck.Invalid;
        }
    }
}

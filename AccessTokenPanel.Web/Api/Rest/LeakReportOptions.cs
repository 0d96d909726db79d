using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

namespace AccessTokenPanel.Web.Api.Rest;

/// <summary>
/// The <c>LeakReports</c> section of appsettings.json: whose signed leak reports
/// (<c>POST /api/v1/leaks</c>) are believed. No keys: every report is refused.
/// </summary>
public sealed class LeakReportOptions : IValidatableObject
{
    public const string Section = "LeakReports";

    /// <summary>
    /// The reporters' ECDSA P-256 public keys, each under the identifier its reports name in
    /// <c>Github-Public-Key-Identifier</c>. For GitHub: the <c>key_identifier</c> and <c>key</c> of
    /// each entry of https://api.github.com/meta/public_keys/secret_scanning.
    /// </summary>
    public List<LeakReportPublicKey> PublicKeys { get; set; } = [];

    /// <summary>The largest report body read, in bytes; a larger one is refused with 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The most secrets one report may carry; more are refused with 413.</summary>
    [Range(1, 100_000)]
    public int MaxSecrets { get; set; } = 1000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < PublicKeys.Count; i++)
        {
            var entry = PublicKeys[i];
            var where = $"{Section}:{nameof(PublicKeys)}:{i}";
            if (string.IsNullOrWhiteSpace(entry.KeyIdentifier))
            {
                yield return new ValidationResult($"{where}:KeyIdentifier is missing: give the identifier reports name in Github-Public-Key-Identifier.",
                    [nameof(PublicKeys)]);
            }
            else if (!seen.Add(entry.KeyIdentifier.Trim()))
            {
                yield return new ValidationResult($"{where}:KeyIdentifier '{entry.KeyIdentifier.Trim()}' is listed twice.", [nameof(PublicKeys)]);
            }
            if (LeakReportPublicKey.Import(entry.Key, out var problem) is null)
            {
                yield return new ValidationResult($"{where}:Key is not an ECDSA P-256 public key: {problem} "
                    + "Give it in PEM (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----) as GitHub publishes it at https://api.github.com/meta/public_keys/secret_scanning.",
                    [nameof(PublicKeys)]);
            }
        }
    }
}

/// <summary>One trusted key of <see cref="LeakReportOptions.PublicKeys"/>.</summary>
public sealed class LeakReportPublicKey
{
    public string KeyIdentifier { get; set; } = "";

    /// <summary>PEM (<c>-----BEGIN PUBLIC KEY-----</c>), or the base64 of the SubjectPublicKeyInfo alone (handy in an environment variable).</summary>
    public string Key { get; set; } = "";

    /// <summary>The key's SubjectPublicKeyInfo (DER) when it is an ECDSA P-256 public key; otherwise null and why.</summary>
    public static byte[]? Import(string? key, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(key))
        {
            problem = "it is empty.";
            return null;
        }
        if (key.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            problem = "it is a private key. Only the reporter holds that; give its public key.";
            return null;
        }
        try
        {
            using var ecdsa = ECDsa.Create();
            if (key.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                ecdsa.ImportFromPem(key);
            }
            else
            {
                ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(key.Trim()), out _);
            }
            var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
            if (!IsP256(parameters.Curve.Oid))
            {
                problem = $"it is on the curve {parameters.Curve.Oid.FriendlyName ?? parameters.Curve.Oid.Value}, not P-256.";
                return null;
            }
            return ecdsa.ExportSubjectPublicKeyInfo();
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException or FormatException)
        {
            problem = ex.Message;
            return null;
        }
    }

    // Platforms name the curve by OID or only by one of its friendly names.
    private static bool IsP256(System.Security.Cryptography.Oid curve) =>
        curve.Value == "1.2.840.10045.3.1.7"
        || curve.FriendlyName is "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1";
}

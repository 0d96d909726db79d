using System.ComponentModel.DataAnnotations;

namespace AccessTokenPanel.Web.Notices;

/// <summary>The <c>Notices:Webhook</c> section: an optional URL that receives every notice, signed with a shared secret.</summary>
public sealed class WebhookNoticeOptions : IValidatableObject
{
    public const string Section = "Notices:Webhook";
    public const int MinSecretLength = 16;

    public string? Url { get; set; }

    /// <summary>The HMAC-SHA256 key the receiver checks the signature with.</summary>
    public string? Secret { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Url);

    public Uri? Uri => IsEnabled ? new Uri(Url!.Trim(), UriKind.Absolute) : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            yield break;
        }
        if (!System.Uri.TryCreate(Url!.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo != "")
        {
            yield return new ValidationResult($"Notices:Webhook:Url must be an http or https address without credentials (got '{Url}').", [nameof(Url)]);
        }
        if (string.IsNullOrEmpty(Secret) || Secret.Length < MinSecretLength)
        {
            yield return new ValidationResult(
                $"Notices:Webhook:Secret must be at least {MinSecretLength} characters when Notices:Webhook:Url is set: receivers check the signature with it.",
                [nameof(Secret)]);
        }
        if (Timeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Notices:Webhook:Timeout must be positive, e.g. \"00:00:10\".", [nameof(Timeout)]);
        }
    }
}

using System.ComponentModel.DataAnnotations;
using MailKit.Security;
using MimeKit;

namespace AccessTokenPanel.Web.Notices;

/// <summary>The <c>Notices:Email</c> section: the SMTP server that sends notices to token owners. No host, no email.</summary>
public sealed class EmailNoticeOptions : IValidatableObject
{
    public const string Section = "Notices:Email";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>MailKit's choice: Auto (TLS on 465, STARTTLS when offered elsewhere), StartTls (required), SslOnConnect, None.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>Signs in to the server when set.</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>AccessTokenPanel &lt;panel@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            yield break;
        }
        if (Port is < 1 or > 65535)
        {
            yield return new ValidationResult($"Notices:Email:Port must be between 1 and 65535 (got {Port}).", [nameof(Port)]);
        }
        if (string.IsNullOrWhiteSpace(From) || !MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult(
                "Notices:Email:From must be the sender's address, such as \"AccessTokenPanel <panel@example.com>\", when Notices:Email:Host is set.",
                [nameof(From)]);
        }
        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Notices:Email:UserName and Notices:Email:Password go together: set both or neither.", [nameof(UserName)]);
        }
        if (Timeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Notices:Email:Timeout must be positive, e.g. \"00:00:30\".", [nameof(Timeout)]);
        }
    }
}

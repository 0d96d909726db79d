using System.Text;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// Where a secret scanner saw one of our secrets: the public URL (may be absent) and the kind of
/// place (<c>commit</c>, <c>issue_comment</c>, <c>npm</c> ...). Both come from outside, so they are
/// cleaned before they reach the audit log and the owner's notice: control characters removed,
/// lengths bounded, and only an absolute http(s) address kept as the URL (a notice may show it as a link).
/// </summary>
public sealed record LeakSighting
{
    public const int UrlMaxLength = 1000;
    public const int SourceMaxLength = 64;

    private LeakSighting(string? url, string? source)
    {
        Url = url;
        Source = source;
    }

    /// <summary>An absolute http or https URL of at most <see cref="UrlMaxLength"/> characters, or null.</summary>
    public string? Url { get; }

    /// <summary>The scanner's name for the kind of place, or null.</summary>
    public string? Source { get; }

    public static LeakSighting Create(string? url, string? source)
    {
        var cleanUrl = Clean(url, int.MaxValue);
        if (cleanUrl is not null
            && (cleanUrl.Length > UrlMaxLength
                || !Uri.TryCreate(cleanUrl, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https")))
        {
            cleanUrl = null;
        }
        return new LeakSighting(cleanUrl, Clean(source, SourceMaxLength));
    }

    /// <summary>For the audit log: "in commit at https://..." or what of that is known.</summary>
    public string Describe() => (Source, Url) switch
    {
        ({ } source, { } url) => $"found in {source} at {url}",
        (null, { } url) => $"found at {url}",
        ({ } source, null) => $"found in {source}, no URL given",
        _ => "no place given",
    };

    private static string? Clean(string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = new StringBuilder(Math.Min(value.Length, maxLength));
        foreach (var c in value.Trim())
        {
            if (text.Length == maxLength)
            {
                // Never end on half of a surrogate pair.
                if (char.IsHighSurrogate(text[^1]))
                {
                    text.Length--;
                }
                break;
            }
            if (!char.IsControl(c))
            {
                text.Append(c);
            }
        }
        return text.Length == 0 ? null : text.ToString();
    }
}

using System.Text;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain.Permissions;

namespace AccessTokenPanel.Tests.Localization;

/// <summary>
/// No user-visible text is written inline in the Web project's markup: every <c>.razor</c> file's
/// text between tags and its user-visible attributes (Label, Title, HelperText, Placeholder,
/// AriaLabel, aria-label, Text, DataLabel, alt) come from resources. A simple scan, not a Razor
/// parser: the <c>@code</c> blocks, comments and Razor expressions (<c>@L["..."]</c>, <c>@(...)</c>,
/// <c>@context.Name</c>, <c>@if (...)</c>) are stripped, then whatever letters are left are text
/// someone would read in English only. A small allowlist keeps symbols, brand and API names, role
/// names and code-like tokens (settings.write, Audit:Sinks).
/// </summary>
public sealed partial class MarkupTextScanTests
{
    /// <summary>Words that read the same in every language of the panel.</summary>
    private static readonly IReadOnlyList<string> Allowed =
    [
        "AccessTokenPanel", "MudBlazor", "Configuration API", "SCIM API", "REST API", "SCIM", "REST", "OAuth", "GraphQL", "API", "UTC",
        .. PanelRoles.All.Select(r => r.Name),
    ];

    private static readonly HashSet<string> VisibleAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Label", "Title", "HelperText", "Placeholder", "AriaLabel", "aria-label", "Text", "DataLabel", "alt",
    };

    // Razor directives that take the rest of their line, and the keywords whose (condition) precedes a block.
    private static readonly HashSet<string> Directives =
        ["page", "using", "inject", "attribute", "layout", "implements", "inherits", "typeparam", "rendermode", "namespace", "preservewhitespace"];

    private static readonly HashSet<string> BlockKeywords = ["if", "foreach", "for", "while", "switch", "using", "lock"];

    [Fact]
    public void EveryTextInTheMarkupComesFromAResource()
    {
        var webProject = Path.Combine(RepositoryRoot(), "AccessTokenPanel.Web");
        var files = Directory.GetFiles(webProject, "*.razor", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);

        var problems = files
            .SelectMany(f => InlineTexts(File.ReadAllText(f)).Select(t => $"{Path.GetRelativePath(webProject, f)}: {t}"))
            .ToList();

        Assert.True(problems.Count == 0, $"Text written in the markup instead of a resource:\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void TheScanFindsInlineTextAndLetsResourcesAndCodeBe()
    {
        const string markup = """
            @page "/sample"
            @inject IStringLocalizer<SampleTexts> L
            @* A comment in English is fine. *@
            <MudText Typo="Typo.h6">Token policy per API</MudText>
            <MudTextField Label="Name" HelperText="@L["Shown in the list."]" @bind-Value="_name" OnClick="() => Save()" />
            <MudButton aria-label="@($"Remove {_name}")">@L["Remove"]</MudButton>
            @if (_items.Count > 0)
            {
                var first = _items[0];
                <span>@first.Name · @L["{0} days", 3] <code>settings.write</code> Configuration API Super Administrator</span>
            }
            else
            {
                <MudText>@(_busy ? L["Saving"] : L["Saved"])</MudText>
            }
            @code {
                // The user's name: a comment with an apostrophe is not the start of a character.
                private string _name = "Not markup";
            }
            <footer>Written after the code</footer>
            """;

        Assert.Equal(["Token policy per", "Label=\"Name\"", "Written after the code"], InlineTexts(markup));
    }

    /// <summary>The texts of <paramref name="razor"/> that are written inline, each as the scan saw it.</summary>
    internal static IReadOnlyList<string> InlineTexts(string razor)
    {
        var markup = StripRazor(razor);
        markup = Doctype().Replace(markup, " ");
        markup = RawElement().Replace(markup, " ");
        var found = new List<string>();
        var position = 0;
        foreach (Match tag in Tag().Matches(markup))
        {
            AddIfText(found, markup[position..tag.Index], null);
            foreach (Match attribute in Attribute().Matches(tag.Groups["attributes"].Value))
            {
                if (attribute.Groups["value"].Success && VisibleAttributes.Contains(attribute.Groups["name"].Value))
                {
                    AddIfText(found, attribute.Groups["value"].Value.Trim('"', '\''), attribute.Groups["name"].Value);
                }
            }
            position = tag.Index + tag.Length;
        }
        AddIfText(found, markup[position..], null);
        return found;
    }

    private static void AddIfText(List<string> found, string text, string? attribute)
    {
        var left = CodeLikeToken().Replace(text, " ");
        foreach (var word in Allowed.OrderByDescending(w => w.Length))
        {
            left = Regex.Replace(left, $@"\b{Regex.Escape(word)}\b", " ");
        }
        left = string.Join(' ', left.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (Letter().IsMatch(left))
        {
            found.Add(attribute is null ? left : $"{attribute}=\"{left}\"");
        }
    }

    /// <summary>
    /// The markup without Razor: comments, @code and @{ } blocks, directives, expressions, the
    /// (conditions) of @if/@foreach, the braces and else of their blocks, and statements between markup.
    /// </summary>
    private static string StripRazor(string s)
    {
        var text = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (At(s, i, "@*"))
            {
                i = End(s, s.IndexOf("*@", i + 2, StringComparison.Ordinal), 2);
            }
            else if (At(s, i, "<!--"))
            {
                i = End(s, s.IndexOf("-->", i, StringComparison.Ordinal), 3);
            }
            else if (c == '@' && i > 0 && char.IsLetterOrDigit(s[i - 1]))
            {
                text.Append(c); // an email address
                i++;
            }
            else if (At(s, i, "@@"))
            {
                text.Append('@');
                i += 2;
            }
            else if (c == '@' && CodeBlock().Match(s, i) is { Success: true } block && block.Index == i)
            {
                i = SkipBalanced(s, i + block.Length - 1, '{', '}');
            }
            else if (At(s, i, "@{"))
            {
                i = SkipBalanced(s, i + 1, '{', '}');
            }
            else if (At(s, i, "@("))
            {
                i = SkipBalanced(s, i + 1, '(', ')');
            }
            else if (c == '@' && DirectiveAttribute().Match(s, i) is { Success: true } directiveAttribute && directiveAttribute.Index == i)
            {
                text.Append(directiveAttribute.Value[1..]); // @onclick="..." is an attribute, its value is code
                i += directiveAttribute.Length;
            }
            else if (c == '@' && Identifier().Match(s, i + 1) is { Success: true } word && word.Index == i + 1)
            {
                i = SkipExpression(s, i, word.Value);
            }
            else if (c is '{' or '}')
            {
                text.Append(' ');
                i++;
                if (c == '}' && Else().Match(s, i) is { Success: true } otherwise && otherwise.Index == i)
                {
                    i += otherwise.Length;
                    if (otherwise.Groups["if"].Success)
                    {
                        i = SkipBalanced(s, i, '(', ')');
                    }
                }
            }
            else
            {
                text.Append(c);
                i++;
            }
        }
        return Statement().Replace(text.ToString(), " ");
    }

    /// <summary>Past the Razor expression, directive or block keyword that starts with @<paramref name="word"/> at <paramref name="i"/>.</summary>
    private static int SkipExpression(string s, int i, string word)
    {
        if (Directives.Contains(word) && (i == 0 || s[i - 1] == '\n'))
        {
            return End(s, s.IndexOf('\n', i), 0);
        }
        i += 1 + word.Length;
        if (BlockKeywords.Contains(word))
        {
            while (i < s.Length && s[i] is ' ' or '\t')
            {
                i++;
            }
            return i < s.Length && s[i] == '(' ? SkipBalanced(s, i, '(', ')') : i;
        }
        if (word == "await" && Identifier().Match(s, i + 1) is { Success: true } awaited && awaited.Index == i + 1)
        {
            i = awaited.Index + awaited.Length;
        }
        // An implicit expression goes on through members, calls and indexers: @context.Name, @L["Delete"], @Foo(x).Bar
        while (i < s.Length)
        {
            if (s[i] is '(' or '[')
            {
                i = SkipBalanced(s, i, s[i], s[i] == '(' ? ')' : ']');
            }
            else if (Member().Match(s, i) is { Success: true } member && member.Index == i)
            {
                i += member.Length;
            }
            else
            {
                break;
            }
        }
        return i;
    }

    /// <summary>Past the bracket that closes the one at <paramref name="i"/>, stepping over C# comments, strings and characters.</summary>
    private static int SkipBalanced(string s, int i, char open, char close)
    {
        var depth = 0;
        for (; i < s.Length; i++)
        {
            if (At(s, i, "//"))
            {
                // To the end of the line: an apostrophe in a comment ("the circuit's") is no character literal.
                i = End(s, s.IndexOf('\n', i), 0);
            }
            else if (At(s, i, "/*"))
            {
                i = End(s, s.IndexOf("*/", i + 2, StringComparison.Ordinal), 2) - 1;
            }
            else if (s[i] is '"' or '\'')
            {
                var quote = s[i];
                for (i++; i < s.Length && s[i] != quote; i++)
                {
                    if (s[i] == '\\')
                    {
                        i++;
                    }
                }
            }
            else if (s[i] == open)
            {
                depth++;
            }
            else if (s[i] == close && --depth == 0)
            {
                return i + 1;
            }
        }
        return s.Length;
    }

    private static bool At(string s, int i, string value) => string.CompareOrdinal(s, i, value, 0, value.Length) == 0;

    private static int End(string s, int found, int length) => found < 0 ? s.Length : found + length;

    [GeneratedRegex(@"\G@(code|functions)\s*\{")]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"\G@[\w:-]+(?=\s*=)")]
    private static partial Regex DirectiveAttribute();

    [GeneratedRegex(@"\G[A-Za-z_]\w*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\G(?:[?!]?\.[A-Za-z_]\w*|!)")]
    private static partial Regex Member();

    [GeneratedRegex(@"\G\s*else\b(?<if>\s*if\s*)?")]
    private static partial Regex Else();

    [GeneratedRegex(@"^[ \t]*(var|return|break|continue)\b[^;\n]*;", RegexOptions.Multiline)]
    private static partial Regex Statement();

    [GeneratedRegex(@"<!DOCTYPE[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Doctype();

    // Style and script are not text; code, kbd and pre hold code-like text (paths, settings keys).
    [GeneratedRegex(@"<(style|script|code|kbd|pre)\b[^>]*>.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex RawElement();

    [GeneratedRegex("""<(/?)[A-Za-z][\w.:-]*(?<attributes>(?:\s+[^\s=>/"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*/?>""")]
    private static partial Regex Tag();

    [GeneratedRegex("""(?<name>[^\s=>/"']+)(?:\s*=\s*(?<value>"[^"]*"|'[^']*'|[^\s>"']+))?""")]
    private static partial Regex Attribute();

    // A token with a dot, colon, slash, underscore, equals, at or hash inside is code: settings.write, Audit:Sinks, /api/v1.
    [GeneratedRegex(@"\S*[./:_=@#]\S*")]
    private static partial Regex CodeLikeToken();

    [GeneratedRegex(@"[^\W\d_]")]
    private static partial Regex Letter();

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AccessTokenPanel.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("The repository (AccessTokenPanel.sln) is not above the test binaries.");
    }
}

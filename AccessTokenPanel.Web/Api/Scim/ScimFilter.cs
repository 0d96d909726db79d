using System.Text.Json;

namespace AccessTokenPanel.Web.Api.Scim;

/// <summary>
/// A parsed RFC 7644 3.4.2.2 filter: comparisons (<c>eq ne co sw ew gt ge lt le</c>, <c>pr</c>) joined
/// by <c>and</c>, <c>or</c>, <c>not</c> and parentheses, and value paths such as
/// <c>emails[type eq "work"]</c> (also with a trailing <c>.value eq "..."</c>, as identity providers send).
/// Which attributes can be filtered on is up to <see cref="ScimFilterTranslator"/>.
/// </summary>
internal abstract record ScimFilter
{
    /// <summary>Parses a filter; null for none. A filter that cannot be parsed is an <c>invalidFilter</c> error.</summary>
    public static (ScimFilter? Filter, ScimResult? Error) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }
        try
        {
            var parser = new Parser(Tokenize(text));
            var filter = parser.ParseAll();
            return (filter, null);
        }
        catch (ScimFilterException ex)
        {
            return (null, ScimResult.BadRequest("invalidFilter", $"The filter '{text}' cannot be used: {ex.Message}"));
        }
    }

    /// <summary><c>attribute op value</c>; <c>Value</c> is null for <c>pr</c> and for the literal null.</summary>
    public sealed record Comparison(string Attribute, string Operator, object? Value) : ScimFilter;

    public sealed record And(ScimFilter Left, ScimFilter Right) : ScimFilter;

    public sealed record Or(ScimFilter Left, ScimFilter Right) : ScimFilter;

    public sealed record Not(ScimFilter Inner) : ScimFilter;

    /// <summary><c>attribute[filter]</c>: the filter's attributes are sub-attributes of <c>Attribute</c>.</summary>
    public sealed record ValuePath(string Attribute, ScimFilter Filter) : ScimFilter;

    private static readonly string[] Operators = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];

    private enum Kind { Word, String, Open, Close, OpenBracket, CloseBracket }

    private sealed record Token(Kind Kind, string Text);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or '[' or ']')
            {
                tokens.Add(new Token(c switch { '(' => Kind.Open, ')' => Kind.Close, '[' => Kind.OpenBracket, _ => Kind.CloseBracket }, c.ToString()));
                i++;
            }
            else if (c == '"')
            {
                var start = i++;
                while (i < text.Length && text[i] != '"')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }
                if (i >= text.Length)
                {
                    throw new ScimFilterException("a quoted string is not closed.");
                }
                i++;
                tokens.Add(new Token(Kind.String, text[start..i]));
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '[' or ']' or '"'))
                {
                    i++;
                }
                tokens.Add(new Token(Kind.Word, text[start..i]));
            }
        }
        return tokens;
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _position;

        public ScimFilter ParseAll()
        {
            var filter = ParseOr();
            if (_position < tokens.Count)
            {
                throw new ScimFilterException($"unexpected '{tokens[_position].Text}'.");
            }
            return filter;
        }

        private Token? Peek => _position < tokens.Count ? tokens[_position] : null;

        private bool IsWord(string word) => Peek is { Kind: Kind.Word } t && t.Text.Equals(word, StringComparison.OrdinalIgnoreCase);

        private Token Next(string expected) => _position < tokens.Count ? tokens[_position++] : throw new ScimFilterException($"it ends where {expected} was expected.");

        private ScimFilter ParseOr()
        {
            var left = ParseAnd();
            while (IsWord("or"))
            {
                _position++;
                left = new Or(left, ParseAnd());
            }
            return left;
        }

        private ScimFilter ParseAnd()
        {
            var left = ParseUnary();
            while (IsWord("and"))
            {
                _position++;
                left = new And(left, ParseUnary());
            }
            return left;
        }

        private ScimFilter ParseUnary()
        {
            if (IsWord("not"))
            {
                _position++;
                return new Not(ParseGroup());
            }
            return Peek?.Kind == Kind.Open ? ParseGroup() : ParseAttributeExpression();
        }

        private ScimFilter ParseGroup()
        {
            if (Next("'('").Kind != Kind.Open)
            {
                throw new ScimFilterException("'(' expected.");
            }
            var inner = ParseOr();
            if (Next("')'").Kind != Kind.Close)
            {
                throw new ScimFilterException("')' expected.");
            }
            return inner;
        }

        private ScimFilter ParseAttributeExpression()
        {
            var attribute = Next("an attribute");
            if (attribute.Kind != Kind.Word)
            {
                throw new ScimFilterException($"an attribute name was expected, not '{attribute.Text}'.");
            }
            var path = ScimRequest.AttributePath(attribute.Text);
            if (Peek?.Kind == Kind.OpenBracket)
            {
                _position++;
                var inner = ParseOr();
                if (Next("']'").Kind != Kind.CloseBracket)
                {
                    throw new ScimFilterException("']' expected.");
                }
                ScimFilter valuePath = new ValuePath(path, inner);
                // emails[type eq "work"].value eq "x": the bracket selects the value, then one of its sub-attributes is compared.
                if (Peek is { Kind: Kind.Word } sub && sub.Text.StartsWith('.'))
                {
                    _position++;
                    valuePath = new And(valuePath, ParseComparison($"{path}{sub.Text}"));
                }
                return valuePath;
            }
            return ParseComparison(path);
        }

        private ScimFilter ParseComparison(string path)
        {
            var op = Next("an operator");
            var name = op.Text.ToLowerInvariant();
            if (op.Kind != Kind.Word)
            {
                throw new ScimFilterException($"an operator was expected after '{path}', not '{op.Text}'.");
            }
            if (name == "pr")
            {
                return new Comparison(path, "pr", null);
            }
            if (!Operators.Contains(name))
            {
                throw new ScimFilterException($"'{op.Text}' is not an operator; use {string.Join(", ", Operators)} or pr.");
            }
            return new Comparison(path, name, ParseValue(Next("a value")));
        }

        private static object? ParseValue(Token token)
        {
            if (token.Kind == Kind.String)
            {
                try
                {
                    return JsonSerializer.Deserialize<string>(token.Text) ?? "";
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException)
                {
                    throw new ScimFilterException($"{token.Text} is not a valid quoted string.");
                }
            }
            if (token.Kind != Kind.Word)
            {
                throw new ScimFilterException($"a value was expected, not '{token.Text}'.");
            }
            return token.Text.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                "null" => null,
                _ when decimal.TryParse(token.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) => number,
                _ => throw new ScimFilterException($"{token.Text} is not a value: quote strings (\"...\")."),
            };
        }
    }
}

internal sealed class ScimFilterException(string message) : Exception(message);

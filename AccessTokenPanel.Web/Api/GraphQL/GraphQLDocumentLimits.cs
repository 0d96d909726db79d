using global::GraphQL;
using global::GraphQL.Execution;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace AccessTokenPanel.Web.Api.GraphQL;

/// <summary>A query document read within <see cref="GraphQLDocumentLimits"/>, or the error that refused it.</summary>
internal sealed record GraphQLDocumentRead(GraphQLDocument? Document, ExecutionError? Error);

/// <summary>
/// Reads a query document with bounded work before GraphQL.NET sees it. GraphQL.NET's parser and
/// validator never look at the cancellation token, the overlapping-fields rule is quadratic in the
/// fields of a selection set, and the complexity analyzer walks every expansion of nested fragments
/// (twenty fragments that each spread the next one twice ask for a million fields, from 900
/// characters). So the characters and the lexical tokens are counted before parsing, and the fields
/// after fragment expansion (memoized, so linear) before validation.
/// </summary>
internal static class GraphQLDocumentLimits
{
    public const int MaxLength = 8 * 1024;
    public const int MaxTokens = 1_000;

    /// <summary>Each operation's and fragment's fields once fragments are expanded: more than the complexity limit could ever let run.</summary>
    public const int MaxFields = GraphQLEndpoint.MaxComplexity;

    /// <summary>The parser's nesting limit in syntax nodes (its default is 128); ten levels of fields with arguments need about thirty.</summary>
    public const int MaxParserDepth = 64;

    public static GraphQLDocumentRead Read(string query, CancellationToken cancellationToken)
    {
        if (query.Length > MaxLength)
        {
            return Refuse("QUERY_TOO_LONG", $"The query is longer than {MaxLength} characters.");
        }
        GraphQLDocument document;
        try
        {
            if (!HasAtMostTokens(query, MaxTokens))
            {
                return Refuse("QUERY_TOO_MANY_TOKENS", $"The query has more than {MaxTokens} tokens (names, punctuation, values).");
            }
            cancellationToken.ThrowIfCancellationRequested();
            document = Parser.Parse(query, new ParserOptions { MaxDepth = MaxParserDepth });
        }
        catch (GraphQLSyntaxErrorException ex)
        {
            return new(null, new SyntaxError(ex));
        }
        catch (GraphQLMaxDepthExceededException)
        {
            return Refuse("QUERY_TOO_DEEP", "The query is nested too deeply to read.");
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (new FieldCounter(document).Largest() > MaxFields)
        {
            return Refuse("QUERY_TOO_MANY_FIELDS", $"The query asks for more than {MaxFields} fields once its fragments are expanded.");
        }
        return new(document, null);
    }

    private static GraphQLDocumentRead Refuse(string code, string message) => new(null, new ExecutionError(message) { Code = code });

    // The lexer alone: no syntax tree is built for a document that is refused.
    private static bool HasAtMostTokens(string query, int limit)
    {
        var position = 0;
        for (var count = 0; count <= limit; count++)
        {
            var token = Lexer.Lex(query, position);
            if (token.Kind == TokenKind.EOF)
            {
                return true;
            }
            position = token.End;
        }
        return false;
    }

    /// <summary>
    /// Fields per operation and fragment with every spread replaced by its fragment, each fragment
    /// counted once and remembered. Counts stop just above the limit, so a fragment bomb's 2^n never
    /// overflows. A fragment cycle counts as nothing here: validation refuses it.
    /// </summary>
    private sealed class FieldCounter(GraphQLDocument document)
    {
        private const int Stop = MaxFields + 1;
        private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = document.Definitions
            .OfType<GraphQLFragmentDefinition>()
            .DistinctBy(f => f.FragmentName.Name.StringValue)
            .ToDictionary(f => f.FragmentName.Name.StringValue);
        private readonly Dictionary<string, int> _counted = [];
        private readonly HashSet<string> _counting = [];

        public int Largest()
        {
            var largest = 0;
            foreach (var definition in document.Definitions.OfType<GraphQLExecutableDefinition>())
            {
                largest = Math.Max(largest, Count(definition.SelectionSet));
                if (largest >= Stop)
                {
                    break;
                }
            }
            return largest;
        }

        private int Count(GraphQLSelectionSet? selections)
        {
            var total = 0;
            foreach (var selection in selections?.Selections ?? [])
            {
                total += selection switch
                {
                    GraphQLField field => 1 + Count(field.SelectionSet),
                    GraphQLInlineFragment inline => Count(inline.SelectionSet),
                    GraphQLFragmentSpread spread => CountFragment(spread.FragmentName.Name.StringValue),
                    _ => 0,
                };
                if (total >= Stop)
                {
                    return Stop;
                }
            }
            return total;
        }

        private int CountFragment(string name)
        {
            if (_counted.TryGetValue(name, out var known))
            {
                return known;
            }
            if (!_fragments.TryGetValue(name, out var fragment) || !_counting.Add(name))
            {
                return 0;
            }
            var count = Count(fragment.SelectionSet);
            _counting.Remove(name);
            _counted[name] = count;
            return count;
        }
    }
}

using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;

namespace AccessTokenPanel.Web.Api.Scim;

/// <summary>
/// One filterable SCIM attribute of a resource <typeparamref name="T"/>: how to read it in a query.
/// <c>Normalized</c> attributes are compared upper-cased (Identity's normalized user name and email),
/// which makes them case-insensitive as RFC 7643 says for userName and emails.
/// </summary>
internal sealed record ScimFilterAttribute<T>(string Name, LambdaExpression Selector, bool Normalized = false);

/// <summary>Turns a <see cref="ScimFilter"/> into a predicate that EF Core translates to SQL.</summary>
internal sealed class ScimFilterTranslator<T>(IReadOnlyList<ScimFilterAttribute<T>> attributes)
{
    private static readonly MethodInfo Contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo EndsWith = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!;
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    public static ScimFilterAttribute<T> Attribute<TValue>(string name, Expression<Func<T, TValue>> selector, bool normalized = false) =>
        new(name, selector, normalized);

    /// <summary>The predicate, or an <c>invalidFilter</c> error naming what is not supported.</summary>
    public (Expression<Func<T, bool>>? Predicate, ScimResult? Error) Translate(ScimFilter filter)
    {
        var parameter = Expression.Parameter(typeof(T), "resource");
        try
        {
            return (Expression.Lambda<Func<T, bool>>(Visit(filter, parameter, ""), parameter), null);
        }
        catch (ScimFilterException ex)
        {
            return (null, ScimResult.BadRequest("invalidFilter", ex.Message));
        }
    }

    private Expression Visit(ScimFilter filter, ParameterExpression parameter, string prefix) => filter switch
    {
        ScimFilter.And and => Expression.AndAlso(Visit(and.Left, parameter, prefix), Visit(and.Right, parameter, prefix)),
        ScimFilter.Or or => Expression.OrElse(Visit(or.Left, parameter, prefix), Visit(or.Right, parameter, prefix)),
        ScimFilter.Not not => Expression.Not(Visit(not.Inner, parameter, prefix)),
        ScimFilter.ValuePath path when prefix.Length == 0 => Visit(path.Filter, parameter, path.Attribute + "."),
        ScimFilter.ValuePath => throw new ScimFilterException("value paths cannot be nested."),
        ScimFilter.Comparison comparison => Compare(comparison, parameter, prefix),
        _ => throw new ScimFilterException("this kind of filter is not supported."),
    };

    private Expression Compare(ScimFilter.Comparison comparison, ParameterExpression parameter, string prefix)
    {
        var name = prefix + comparison.Attribute;
        var attribute = attributes.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ScimFilterException($"filtering on '{name}' is not supported; filter on {string.Join(", ", attributes.Select(a => a.Name))}.");
        var target = new ParameterReplacer(attribute.Selector.Parameters[0], parameter).Visit(attribute.Selector.Body)!;
        var type = target.Type;
        var op = comparison.Operator;
        if (op == "pr")
        {
            return type == typeof(string)
                ? Expression.AndAlso(Expression.NotEqual(target, Expression.Constant(null, type)), Expression.NotEqual(target, Expression.Constant("")))
                : Nullable.GetUnderlyingType(type) is not null || !type.IsValueType
                    ? Expression.NotEqual(target, Expression.Constant(null, type))
                    : Expression.Constant(true);
        }
        if (comparison.Value is null)
        {
            return op switch
            {
                "eq" when !type.IsValueType || Nullable.GetUnderlyingType(type) is not null => Expression.Equal(target, Expression.Constant(null, type)),
                "ne" when !type.IsValueType || Nullable.GetUnderlyingType(type) is not null => Expression.NotEqual(target, Expression.Constant(null, type)),
                "eq" => Expression.Constant(false),
                "ne" => Expression.Constant(true),
                _ => throw new ScimFilterException($"null can only be compared with eq or ne."),
            };
        }
        if (type == typeof(string))
        {
            if (comparison.Value is not string text)
            {
                throw new ScimFilterException($"'{name}' is a string: quote the value.");
            }
            if (text.Contains('\0'))
            {
                // No stored value holds U+0000 (PostgreSQL text cannot), so it can only be a mistake.
                throw new ScimFilterException($"the value for '{name}' contains the NUL character (\\u0000), which no value can hold.");
            }
            var value = Captured(attribute.Normalized ? text.ToUpperInvariant() : text);
            // The null check keeps the predicate safe when run in memory (Groups); SQL needs none.
            var present = Expression.NotEqual(target, Expression.Constant(null, typeof(string)));
            return op switch
            {
                "eq" => Expression.Equal(target, value),
                "ne" => Expression.NotEqual(target, value),
                "co" => Expression.AndAlso(present, Expression.Call(target, Contains, value)),
                "sw" => Expression.AndAlso(present, Expression.Call(target, StartsWith, value)),
                "ew" => Expression.AndAlso(present, Expression.Call(target, EndsWith, value)),
                _ => Expression.AndAlso(present, Order(op, Expression.Call(StringCompare, target, value), Expression.Constant(0))),
            };
        }
        if (type == typeof(bool))
        {
            if (comparison.Value is not bool flag || op is not ("eq" or "ne"))
            {
                throw new ScimFilterException($"'{name}' is a boolean: compare it with eq or ne and true or false.");
            }
            return op == "eq" ? Expression.Equal(target, Expression.Constant(flag)) : Expression.NotEqual(target, Expression.Constant(flag));
        }
        if (type == typeof(DateTime) || type == typeof(DateTime?))
        {
            if (comparison.Value is not string text
                || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                throw new ScimFilterException($"'{name}' is a date and time: give one such as \"2026-01-31T12:00:00Z\".");
            }
            if (op is "co" or "sw" or "ew")
            {
                throw new ScimFilterException($"'{name}' is a date and time: compare it with eq, ne, gt, ge, lt or le.");
            }
            var value = type == typeof(DateTime) ? Captured(instant.UtcDateTime) : Captured<DateTime?>(instant.UtcDateTime);
            return op switch
            {
                "eq" => Expression.Equal(target, value),
                "ne" => Expression.NotEqual(target, value),
                _ => Order(op, target, value),
            };
        }
        throw new ScimFilterException($"'{name}' cannot be filtered with {op}.");
    }

    /// <summary>
    /// A value from the request, read from an object's member rather than held as a constant: EF Core
    /// sends such a value as a parameter (as it does a lambda's captured variable), so it never
    /// becomes SQL text and every value shares one compiled, cached query. Only fixed values (null,
    /// "", true, false) stay constants.
    /// </summary>
    private static MemberExpression Captured<TValue>(TValue value) =>
        Expression.Property(Expression.Constant(new FilterValue<TValue>(value)), nameof(FilterValue<TValue>.Value));

    private sealed record FilterValue<TValue>(TValue Value);

    private static BinaryExpression Order(string op, Expression left, Expression right) => op switch
    {
        "gt" => Expression.GreaterThan(left, right),
        "ge" => Expression.GreaterThanOrEqual(left, right),
        "lt" => Expression.LessThan(left, right),
        _ => Expression.LessThanOrEqual(left, right),
    };

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

using AccessTokenPanel.Domain.Authorization;

namespace AccessTokenPanel.Web.Api;

/// <summary>
/// The rows of the permission table (<see cref="Operations"/>) an endpoint performs. The Domain
/// operation decides; this names it, so the authorization matrix test can hold every endpoint to the table.
/// </summary>
public sealed record OperationMetadata(IReadOnlyList<Operation> Operations);

/// <summary>
/// An endpoint that performs no operation of the table, and why: it establishes who someone is
/// (sign-in, first-run setup), or answers for itself (health, a signed leak report).
/// </summary>
public sealed record NoOperationMetadata(string Why);

public static class OperationEndpointExtensions
{
    public static TBuilder Performs<TBuilder>(this TBuilder builder, params Operation[] operations) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OperationMetadata(operations));

    public static TBuilder PerformsNoOperation<TBuilder>(this TBuilder builder, string why) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new NoOperationMetadata(why));
}

/// <summary>
/// On a screen action (a method an interactive page calls on the server): the operations of the
/// permission table it performs through the Domain, or none for what only reads for display.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PerformsAttribute(params string[] operations) : Attribute
{
    public IReadOnlyList<string> Operations { get; } = operations;
}

namespace AccessTokenPanel.Web.Api.GraphQL;

/// <summary>
/// Who is calling the GraphQL endpoint: the panel user, and the panel token used when the call came
/// with one (null for the session cookie or an external JWT). Kept in the execution's user context.
/// </summary>
public sealed class GraphQLCaller : Dictionary<string, object?>
{
    public required string UserId { get; init; }
    public Guid? TokenId { get; init; }

    /// <summary>The X-OTP header, checked by the issuing mutation.</summary>
    public string? Code { get; init; }

    /// <summary>How the caller authenticated, for the audit entry.</summary>
    public required string Via { get; init; }
}

using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using global::GraphQL;
using global::GraphQL.Builders;
using global::GraphQL.Types;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Web.Api.GraphQL;

public sealed record GraphQLToken(Guid Id, string Name, string Api, DateTime ExpiresAt, string Status);
public sealed record GraphQLMe(string? Email, IReadOnlyList<GraphQLToken> Tokens);

/// <summary>The security platform's shape: the secret comes back as <c>sessionJwt</c>.</summary>
public sealed record GraphQLIssuedToken(string SessionJwt, Guid Id, DateTime ExpiresAt);

/// <summary><c>query { me { email tokens { id name api expiresAt status } } }</c> and <c>mutation { updateAccessToken(expirationTime: unix) { sessionJwt } }</c>.</summary>
public sealed class PanelSchema : Schema
{
    public PanelSchema(IServiceProvider services) : base(services)
    {
        Query = new PanelQuery();
        Mutation = new PanelMutation();
    }
}

public sealed class TokenGraphType : ObjectGraphType<GraphQLToken>
{
    public TokenGraphType()
    {
        Name = "Token";
        Field(t => t.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(t => t.Name);
        Field(t => t.Api).Description("configuration, scim or rest");
        Field(t => t.ExpiresAt, type: typeof(NonNullGraphType<DateTimeGraphType>));
        Field(t => t.Status).Description("active, expired or revoked");
    }
}

public sealed class MeGraphType : ObjectGraphType<GraphQLMe>
{
    public MeGraphType()
    {
        Name = "Me";
        Field(m => m.Email, nullable: true);
        Field(m => m.Tokens, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<TokenGraphType>>>));
    }
}

public sealed class IssuedTokenGraphType : ObjectGraphType<GraphQLIssuedToken>
{
    public IssuedTokenGraphType()
    {
        Name = "AccessTokenPayload";
        Field(t => t.SessionJwt).Description("The new REST API token's secret, shown this once.");
        Field(t => t.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(t => t.ExpiresAt, type: typeof(NonNullGraphType<DateTimeGraphType>));
    }
}

/// <summary>The metadata key under which a field names the operation of the permission table it performs.</summary>
public static class GraphQLOperations
{
    public const string MetadataKey = "panel-operation";

    public static FieldBuilder<TSource, TReturn> Performs<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, Operation operation) =>
        field.WithMetadata(MetadataKey, operation);

    /// <summary>A Domain refusal as a GraphQL error: the stable code upper-cased (<c>code-replayed</c> is <c>CODE_REPLAYED</c>).</summary>
    public static ExecutionError Error(IReadOnlyList<DomainError> errors) =>
        new(string.Join(" ", errors.Select(e => e.Message))) { Code = errors[0].Code.ToUpperInvariant().Replace('-', '_') };
}

public sealed class PanelQuery : ObjectGraphType
{
    public PanelQuery()
    {
        Name = "Query";
        Field<NonNullGraphType<MeGraphType>>("me").Description("The caller and their tokens.").Performs(Operations.ListOwnTokens).ResolveAsync(async context =>
        {
            var caller = (GraphQLCaller)context.UserContext;
            var services = context.RequestServices!;
            var db = services.GetRequiredService<PanelDbContext>();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var tokens = await services.GetRequiredService<TokenReader>().ListOwnAsync(caller.Actor, cancellationToken: context.CancellationToken);
            if (!tokens.Succeeded)
            {
                throw GraphQLOperations.Error(tokens.Errors);
            }
            var email = await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.Email).SingleOrDefaultAsync(context.CancellationToken);
            return new GraphQLMe(email, tokens.Value!.Select(t => new GraphQLToken(t.Id, t.Name, t.ApiType.ToWire(), t.ExpiresAt,
                t.StatusAt(now).ToString().ToLowerInvariant())).ToList());
        });
    }
}

public sealed class PanelMutation : ObjectGraphType
{
    public PanelMutation()
    {
        Name = "Mutation";
        Field<NonNullGraphType<IssuedTokenGraphType>>("updateAccessToken")
            .Description("Issues a REST API token for the caller, expiring at expirationTime (Unix seconds, within the token policy). Needs the current code in X-OTP.")
            .Argument<NonNullGraphType<LongGraphType>>("expirationTime")
            .Performs(Operations.IssueToken)
            .ResolveAsync(async context => await IssueAsync(context, context.GetArgument<long>("expirationTime")));
    }

    private static async Task<object?> IssueAsync(IResolveFieldContext context, long expirationTime)
    {
        var caller = (GraphQLCaller)context.UserContext;
        var services = context.RequestServices!;
        var time = services.GetRequiredService<TimeProvider>();
        DateTime expiresAt;
        try
        {
            expiresAt = DateTimeOffset.FromUnixTimeSeconds(expirationTime).UtcDateTime;
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ExecutionError("expirationTime is not a usable Unix timestamp.") { Code = "EXPIRATION_INVALID" };
        }
        var now = time.GetUtcNow().UtcDateTime;
        var request = new IssueTokenRequest(caller.UserId, "graphql " + now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ApiType.Rest, null, TokenExpiry.AtInstant(expiresAt), ParentTokenId: caller.TokenId);
        // The issuer checks the request first, so a bad expiry does not spend the caller's one-time code, then the code.
        var result = await services.GetRequiredService<TokenIssuer>().IssueAsync(caller.Actor, request, context.CancellationToken);
        if (result.IsPending)
        {
            // The policy made it wait for approval: no secret exists; the requester takes it from the request later.
            throw new ExecutionError($"The token policy makes this token wait for approval: request {result.Request!.Id}.") { Code = "APPROVAL_PENDING" };
        }
        if (!result.Succeeded)
        {
            throw GraphQLOperations.Error(result.Errors);
        }
        return new GraphQLIssuedToken(result.Secret!, result.Token!.Id, result.Token.ExpiresAt);
    }
}

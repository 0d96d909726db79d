using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.TwoFactor;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api.Rest;
using global::GraphQL;
using global::GraphQL.Types;
using Microsoft.AspNetCore.Identity;
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

public sealed class PanelQuery : ObjectGraphType
{
    public PanelQuery()
    {
        Name = "Query";
        Field<NonNullGraphType<MeGraphType>>("me").Description("The caller and their tokens.").ResolveAsync(async context =>
        {
            var caller = (GraphQLCaller)context.UserContext;
            var services = context.RequestServices!;
            var db = services.GetRequiredService<PanelDbContext>();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var email = await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.Email).SingleOrDefaultAsync(context.CancellationToken);
            var tokens = await db.AccessTokens.AsNoTracking().Where(t => t.OwnerId == caller.UserId)
                .OrderByDescending(t => t.CreatedAt).ToListAsync(context.CancellationToken);
            return new GraphQLMe(email, tokens.Select(t => new GraphQLToken(t.Id, t.Name, t.ApiType.ToWire(), t.ExpiresAt,
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
            .ResolveAsync(async context => await IssueAsync(context, context.GetArgument<long>("expirationTime")));
    }

    private static async Task<object?> IssueAsync(IResolveFieldContext context, long expirationTime)
    {
        var caller = (GraphQLCaller)context.UserContext;
        var services = context.RequestServices!;
        var time = services.GetRequiredService<TimeProvider>();
        var issuer = services.GetRequiredService<TokenIssuer>();
        var user = await services.GetRequiredService<UserManager<PanelUser>>().FindByIdAsync(caller.UserId)
            ?? throw new ExecutionError("The caller no longer exists.") { Code = "UNAUTHENTICATED" };

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
        var request = new IssueTokenRequest(user.Id, "graphql " + now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ApiType.Rest, null, TokenExpiry.AtInstant(expiresAt), ParentTokenId: caller.TokenId);
        // The policy's checks come first, so a bad expiry does not spend the caller's one-time code.
        if ((await issuer.ValidateAsync(request, context.CancellationToken)) is { Count: > 0 } errors)
        {
            throw Refusal(errors);
        }
        if (string.IsNullOrWhiteSpace(caller.Code))
        {
            throw new ExecutionError($"Send the current code from your authenticator app in the {BasicCredentials.OtpHeader} header.") { Code = "CODE_REQUIRED" };
        }
        var step = await services.GetRequiredService<SecondFactorService>().VerifyAsync(user, caller.Code, context.CancellationToken);
        if (step != StepUpResult.Verified)
        {
            throw step switch
            {
                StepUpResult.ReplayedCode => new ExecutionError("This code was already used. Wait for the next code.") { Code = "CODE_REPLAYED" },
                StepUpResult.NotEnrolled => new ExecutionError("Set up an authenticator app in the panel first.") { Code = "NOT_ENROLLED" },
                StepUpResult.LockedOut => new ExecutionError("Too many failed attempts: the account is locked for a while.") { Code = "LOCKED_OUT" },
                StepUpResult.TooManyAttempts => new ExecutionError(
                    "Other authentication codes for this account are being checked right now. Try again in a moment.") { Code = "TOO_MANY_ATTEMPTS" },
                _ => new ExecutionError("The authentication code is not valid.") { Code = "CODE_INVALID" },
            };
        }
        var result = await issuer.IssueAsync(request with { ActorId = user.Id }, context.CancellationToken);
        if (!result.Succeeded)
        {
            throw Refusal(result.Errors);
        }
        return new GraphQLIssuedToken(result.Secret!, result.Token!.Id, result.Token.ExpiresAt);
    }

    private static ExecutionError Refusal(IReadOnlyList<TokenError> errors) =>
        new(string.Join(" ", errors.Select(e => e.Message))) { Code = errors[0].Code.ToUpperInvariant().Replace('-', '_') };
}

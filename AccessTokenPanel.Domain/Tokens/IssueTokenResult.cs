using AccessTokenPanel.Domain.Approvals;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// The issued token with its secret (to be shown once, then forgotten), or a request waiting for
/// approval (no secret exists yet: <see cref="Request"/>), or the errors.
/// </summary>
public sealed class IssueTokenResult
{
    private IssueTokenResult(AccessToken? token, string? secret, IReadOnlyList<DomainError> errors, TokenRequest? request = null)
    {
        Token = token;
        Secret = secret;
        Errors = errors;
        Request = request;
    }

    public bool Succeeded => Token is not null;

    /// <summary>The token policy made it wait for someone else's approval: this request was created instead, pending.</summary>
    public TokenRequest? Request { get; }
    public bool IsPending => Request is not null;
    public AccessToken? Token { get; }

    /// <summary>The only copy of the secret there will ever be. Never log or store it.</summary>
    public string? Secret { get; }

    public IReadOnlyList<DomainError> Errors { get; }

    public static IssueTokenResult Success(AccessToken token, string secret) => new(token, secret, []);
    public static IssueTokenResult Failed(IReadOnlyList<DomainError> errors) => new(null, null, errors);
    public static IssueTokenResult Pending(TokenRequest request) => new(null, null, [], request);

    public override string ToString() =>
        Succeeded ? $"Issued {Token!.Id} ({Token.Hint})" : IsPending ? $"Pending approval {Request!.Id}" : $"Failed: {string.Join(", ", Errors.Select(e => e.Code))}";
}

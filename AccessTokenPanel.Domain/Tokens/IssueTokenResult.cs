namespace AccessTokenPanel.Domain.Tokens;

/// <summary>Either the issued token with its secret (to be shown once, then forgotten) or the errors.</summary>
public sealed class IssueTokenResult
{
    private IssueTokenResult(AccessToken? token, string? secret, IReadOnlyList<DomainError> errors)
    {
        Token = token;
        Secret = secret;
        Errors = errors;
    }

    public bool Succeeded => Token is not null;
    public AccessToken? Token { get; }

    /// <summary>The only copy of the secret there will ever be. Never log or store it.</summary>
    public string? Secret { get; }

    public IReadOnlyList<DomainError> Errors { get; }

    public static IssueTokenResult Success(AccessToken token, string secret) => new(token, secret, []);
    public static IssueTokenResult Failed(IReadOnlyList<DomainError> errors) => new(null, null, errors);

    public override string ToString() =>
        Succeeded ? $"Issued {Token!.Id} ({Token.Hint})" : $"Failed: {string.Join(", ", Errors.Select(e => e.Code))}";
}

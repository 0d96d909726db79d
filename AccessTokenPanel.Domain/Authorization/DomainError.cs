namespace AccessTokenPanel.Domain;

/// <summary>What kind of refusal an error is: every surface maps it the same way (problem status, SCIM status, GraphQL code).</summary>
public enum ErrorKind
{
    /// <summary>The input is wrong: a field message, 400.</summary>
    Invalid,
    /// <summary>No such thing, or one the actor may not see: the two are never told apart. 404.</summary>
    NotFound,
    /// <summary>The actor is known but may not do this (permission, rank, enrollment). 403.</summary>
    Forbidden,
    /// <summary>The thing is in a state that does not allow it (revoked, already rotated, duplicate). 409.</summary>
    Conflict,
    /// <summary>A step-up code is missing, wrong or already used. 401.</summary>
    StepUpFailed,
    /// <summary>Too many attempts: locked for a while, or others are being checked right now. 429.</summary>
    TooManyAttempts,
}

/// <summary>
/// Something a caller got wrong or may not do. <see cref="Code"/> is stable (the API's problem type,
/// the UI's switch), <see cref="Field"/> names the input it belongs to ("" for none),
/// <see cref="Message"/> is for people, <see cref="Kind"/> decides the status on every surface.
/// </summary>
public sealed record DomainError(string Code, string Field, string Message, ErrorKind Kind = ErrorKind.Invalid);

/// <summary>An operation's outcome: the value, or the errors (at least one).</summary>
public sealed class Result<T>
{
    private Result(T? value, IReadOnlyList<DomainError> errors)
    {
        Value = value;
        Errors = errors;
    }

    public bool Succeeded => Errors.Count == 0;
    public T? Value { get; }
    public IReadOnlyList<DomainError> Errors { get; }
    /// <summary>The first error: the one a surface shows when it shows one.</summary>
    public DomainError Error => Errors[0];

    public static Result<T> Ok(T value) => new(value, []);
    public static Result<T> Fail(DomainError error) => new(default, [error]);
    public static Result<T> Fail(IReadOnlyList<DomainError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A failure needs an error.", nameof(errors)) : new(default, errors);

    public static implicit operator Result<T>(DomainError error) => Fail(error);

    public override string ToString() => Succeeded ? $"Ok {Value}" : $"Failed: {string.Join(", ", Errors.Select(e => e.Code))}";
}

using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

/// <param name="Deleted">Whether anything was revoked.</param>
/// <param name="Message">What to tell the user; beside the field when nothing was deleted.</param>
public sealed record DeletionOutcome(bool Deleted, string Message);

/// <summary>The typed-"yes" delete: anything but exactly "yes" revokes nothing and says so.</summary>
public sealed class TokenDeletion(TokenRevoker revoker)
{
    /// <summary>Exactly "yes": "Yes", " yes" or "y" delete nothing (as the reference product).</summary>
    public const string Word = "yes";

    public static bool IsConfirmed(string? typed) => string.Equals(typed, Word, StringComparison.Ordinal);

    /// <summary>What to tell someone who typed something else; nothing was deleted.</summary>
    public static string RefusalFor(string? typed) => string.IsNullOrEmpty(typed)
        ? "Nothing was deleted: type yes to confirm."
        : $"Nothing was deleted: you typed \"{(typed.Length > 20 ? typed[..20] + "…" : typed)}\", not yes.";

    public async Task<DeletionOutcome> DeleteAsync(Actor actor, Guid tokenId, string tokenName, string? typed, CancellationToken cancellationToken = default)
    {
        if (!IsConfirmed(typed))
        {
            return new(false, RefusalFor(typed));
        }
        var result = await revoker.RevokeAsync(actor, tokenId, cancellationToken);
        return result switch
        {
            { Succeeded: true, Value: RevokeOutcome.Revoked } => new(true, $"The token \"{tokenName}\" was deleted. It no longer works."),
            { Succeeded: true } => new(false, $"The token \"{tokenName}\" had already been deleted."),
            { Error.Kind: ErrorKind.NotFound } => new(false, "Error: that token no longer exists."),
            _ => new(false, $"Error: {result.Error.Message}"),
        };
    }

    public async Task<DeletionOutcome> DeleteAllAsync(Actor actor, string? typed, CancellationToken cancellationToken = default)
    {
        if (!IsConfirmed(typed))
        {
            return new(false, RefusalFor(typed));
        }
        var result = await revoker.RevokeOwnAsync(actor, cancellationToken);
        if (!result.Succeeded)
        {
            return new(false, $"Error: {result.Error.Message}");
        }
        var count = result.Value;
        return new(count > 0, count == 1 ? "1 token was deleted. It no longer works." : $"{count} tokens were deleted. None of them work any more.");
    }
}

using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Localization;

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
        ? Texts["Nothing was deleted: type yes to confirm."]
        : Texts["Nothing was deleted: you typed \"{0}\", not yes.", typed.Length > 20 ? typed[..20] + "…" : typed];

    private static Microsoft.Extensions.Localization.IStringLocalizer Texts => TokenTexts.Localizer;

    public async Task<DeletionOutcome> DeleteAsync(Actor actor, Guid tokenId, string tokenName, string? typed, CancellationToken cancellationToken = default)
    {
        if (!IsConfirmed(typed))
        {
            return new(false, RefusalFor(typed));
        }
        var result = await revoker.RevokeAsync(actor, tokenId, cancellationToken);
        return result switch
        {
            { Succeeded: true, Value: RevokeOutcome.Revoked } => new(true, Texts["The token \"{0}\" was deleted. It no longer works.", tokenName]),
            { Succeeded: true } => new(false, Texts["The token \"{0}\" had already been deleted.", tokenName]),
            { Error.Kind: ErrorKind.NotFound } => new(false, Texts["Error: that token no longer exists."]),
            _ => new(false, Texts["Error: {0}", DomainMessages.Text(result.Error)]),
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
            return new(false, Texts["Error: {0}", DomainMessages.Text(result.Error)]);
        }
        var count = result.Value;
        return new(count > 0, count == 1 ? Texts["1 token was deleted. It no longer works."] : Texts["{0} tokens were deleted. None of them work any more.", count]);
    }
}

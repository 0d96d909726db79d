using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Components.Shared;

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

/// <param name="Deleted">Whether anything was revoked.</param>
/// <param name="Message">What to tell the user; beside the field when nothing was deleted.</param>
public sealed record DeletionOutcome(bool Deleted, string Message);

/// <summary>The typed-"yes" delete: anything but exactly "yes" revokes nothing and says so.</summary>
public sealed class TokenDeletion(TokenRevoker revoker)
{
    public async Task<DeletionOutcome> DeleteAsync(Guid tokenId, string tokenName, string? typed, string actorId, CancellationToken cancellationToken = default)
    {
        if (!ConfirmDelete.IsConfirmed(typed))
        {
            return new(false, ConfirmDelete.RefusalFor(typed));
        }
        return await revoker.RevokeAsync(tokenId, actorId, cancellationToken) switch
        {
            RevokeOutcome.Revoked => new(true, $"The token \"{tokenName}\" was deleted. It no longer works."),
            RevokeOutcome.AlreadyRevoked => new(false, $"The token \"{tokenName}\" had already been deleted."),
            _ => new(false, "Error: that token no longer exists."),
        };
    }

    public async Task<DeletionOutcome> DeleteAllAsync(string ownerId, string? typed, string actorId, CancellationToken cancellationToken = default)
    {
        if (!ConfirmDelete.IsConfirmed(typed))
        {
            return new(false, ConfirmDelete.RefusalFor(typed));
        }
        var count = await revoker.RevokeAllAsync(ownerId, actorId, cancellationToken);
        return new(count > 0, count == 1 ? "1 token was deleted. It no longer works." : $"{count} tokens were deleted. None of them work any more.");
    }
}

using AccessTokenPanel.Domain.ExternalTokens;

namespace AccessTokenPanel.Web.Authentication;

/// <summary>
/// Changes to external token validators, for the Configuration API and the Settings page alike: the
/// Domain's rules (<see cref="ExternalTokenValidators"/>: every permission, a current code, valid
/// input), and then this instance's cached signing keys of a changed or removed validator are
/// dropped, so its next token is checked against what the validator says now. (Other instances
/// notice through the validator's UpdatedAt.)
/// </summary>
public sealed class ExternalTokenValidatorChanges(ExternalTokenValidators validators, ExternalJwtKeyCache keys)
{
    public Task<ExternalTokenValidatorResult> CreateAsync(ExternalTokenValidatorInput input, string actorId, IReadOnlySet<string> actorPermissions,
        string via, string? stepUpCode, CancellationToken cancellationToken = default) =>
        validators.CreateAsync(input, actorId, actorPermissions, via, stepUpCode, cancellationToken);

    public async Task<ExternalTokenValidatorResult> UpdateAsync(Guid id, ExternalTokenValidatorInput input, string actorId,
        IReadOnlySet<string> actorPermissions, string via, string? stepUpCode, CancellationToken cancellationToken = default)
    {
        var result = await validators.UpdateAsync(id, input, actorId, actorPermissions, via, stepUpCode, cancellationToken);
        if (result.Succeeded)
        {
            keys.Forget(id);
        }
        return result;
    }

    public async Task<ExternalTokenValidatorResult> DeleteAsync(Guid id, string actorId, IReadOnlySet<string> actorPermissions,
        string via, string? stepUpCode, CancellationToken cancellationToken = default)
    {
        var result = await validators.DeleteAsync(id, actorId, actorPermissions, via, stepUpCode, cancellationToken);
        if (result.Succeeded)
        {
            keys.Forget(id);
        }
        return result;
    }
}

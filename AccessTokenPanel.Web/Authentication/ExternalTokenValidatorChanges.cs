using AccessTokenPanel.Domain.Authorization;
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
    public Task<ExternalTokenValidatorResult> CreateAsync(Actor actor, ExternalTokenValidatorInput input, CancellationToken cancellationToken = default) =>
        validators.CreateAsync(actor, input, cancellationToken);

    public async Task<ExternalTokenValidatorResult> UpdateAsync(Actor actor, Guid id, ExternalTokenValidatorInput input, CancellationToken cancellationToken = default)
    {
        var result = await validators.UpdateAsync(actor, id, input, cancellationToken);
        if (result.Succeeded)
        {
            keys.Forget(id);
        }
        return result;
    }

    public async Task<ExternalTokenValidatorResult> DeleteAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var result = await validators.DeleteAsync(actor, id, cancellationToken);
        if (result.Succeeded)
        {
            keys.Forget(id);
        }
        return result;
    }
}

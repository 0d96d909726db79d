using AccessTokenPanel.Domain.ExternalTokens;

namespace AccessTokenPanel.Web.Authentication;

/// <summary>
/// Changes to external token validators, for the Configuration API and the Settings page alike: the
/// Domain's rules (<see cref="ExternalTokenValidators"/>), and then this instance's cached signing
/// keys of a changed or removed validator are dropped, so its next token is checked against what
/// the validator says now. (Other instances notice through the validator's UpdatedAt.)
/// </summary>
public sealed class ExternalTokenValidatorChanges(ExternalTokenValidators validators, ExternalJwtKeyCache keys)
{
    public Task<ExternalTokenValidatorResult> CreateAsync(ExternalTokenValidatorInput input, string actorId, string via, CancellationToken cancellationToken = default) =>
        validators.CreateAsync(input, actorId, via, cancellationToken);

    /// <summary>Null when there is no validator with this id.</summary>
    public async Task<ExternalTokenValidatorResult?> UpdateAsync(
        Guid id, ExternalTokenValidatorInput input, string actorId, string via, CancellationToken cancellationToken = default)
    {
        var result = await validators.UpdateAsync(id, input, actorId, via, cancellationToken);
        if (result is { Succeeded: true })
        {
            keys.Forget(id);
        }
        return result;
    }

    /// <summary>False when there is no validator with this id.</summary>
    public async Task<bool> DeleteAsync(Guid id, string actorId, string via, CancellationToken cancellationToken = default)
    {
        if (!await validators.DeleteAsync(id, actorId, via, cancellationToken))
        {
            return false;
        }
        keys.Forget(id);
        return true;
    }
}

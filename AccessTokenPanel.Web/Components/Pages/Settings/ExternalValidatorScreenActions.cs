using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Components.Account;

namespace AccessTokenPanel.Web.Components.Pages.Settings;

/// <summary>Whether a removal happened, and the sentence for the page.</summary>
public sealed record ValidatorRemoval(bool Removed, string Message);

/// <summary>
/// What the external token validators editor does on the server. A circuit lives for hours, so
/// every call asks <see cref="CircuitActor"/> again (settings.read to list, settings.write to change)
/// and works in a fresh scope; the changes go through <see cref="ExternalTokenValidatorChanges"/>,
/// as the Configuration API's do.
/// </summary>
public sealed class ExternalValidatorScreenActions(CircuitActor actor, IServiceScopeFactory scopes)
{
    /// <summary>The key of a message that belongs to the whole form, not to one field.</summary>
    public const string FormField = "";
    public const string Via = "on the Settings page";
    public const string NotAllowed = "You can no longer change the settings. Nothing was saved.";
    public const string Gone = "This validator no longer exists (someone removed it). Nothing was saved.";

    /// <summary>The validators by name, or null when the user may no longer read the settings.</summary>
    public async Task<IReadOnlyList<ExternalTokenValidator>?> ListAsync(CancellationToken cancellationToken = default)
    {
        if (await actor.RequireAsync(Permission.SettingsRead, cancellationToken) is null)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ExternalTokenValidators>().ListAsync(cancellationToken);
    }

    /// <summary>Adds a validator (<paramref name="id"/> null) or replaces one.</summary>
    /// <returns>Messages keyed by the input's property names (<see cref="FormField"/> for the form); none when saved.</returns>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(Guid? id, ExternalTokenValidatorInput input, CancellationToken cancellationToken = default)
    {
        var actorId = await actor.RequireAsync(Permission.SettingsWrite, cancellationToken);
        if (actorId is null)
        {
            return new Dictionary<string, string> { [FormField] = NotAllowed };
        }
        await using var scope = scopes.CreateAsyncScope();
        var changes = scope.ServiceProvider.GetRequiredService<ExternalTokenValidatorChanges>();
        var result = id is { } existing
            ? await changes.UpdateAsync(existing, input, actorId, Via, cancellationToken)
            : await changes.CreateAsync(input, actorId, Via, cancellationToken);
        if (result is null)
        {
            return new Dictionary<string, string> { [FormField] = Gone };
        }
        // One message per field: the first the Domain found.
        return result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message);
    }

    public async Task<ValidatorRemoval> RemoveAsync(Guid id, string name, CancellationToken cancellationToken = default)
    {
        var actorId = await actor.RequireAsync(Permission.SettingsWrite, cancellationToken);
        if (actorId is null)
        {
            return new(false, "You can no longer change the settings. Nothing was removed.");
        }
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ExternalTokenValidatorChanges>().DeleteAsync(id, actorId, Via, cancellationToken)
            ? new(true, $"Removed \"{name}\". Its issuer's tokens are refused from now on.")
            : new(false, $"\"{name}\" was already removed.");
    }
}

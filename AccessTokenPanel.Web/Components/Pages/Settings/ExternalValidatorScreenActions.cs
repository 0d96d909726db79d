using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.ExternalTokens;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Components.Account;
using AccessTokenPanel.Web.Hosting;
using AccessTokenPanel.Web.Localization;
using Microsoft.Extensions.Localization;

namespace AccessTokenPanel.Web.Components.Pages.Settings;

/// <summary>Whether a removal happened, and the messages: the page's sentence, or the one beside the code field.</summary>
public sealed record ValidatorRemoval(bool Removed, string Message, string? CodeError = null);

/// <summary>
/// What the external token validators editor does on the server. A circuit lives for hours, so
/// every call asks <see cref="CircuitActor"/> again (settings.read to list, settings.write as the
/// first filter to change) and works in a fresh scope; the changes go through
/// <see cref="ExternalTokenValidatorChanges"/>, as the Configuration API's do, where the Domain asks
/// for every permission and the user's current authentication code.
/// </summary>
public sealed class ExternalValidatorScreenActions(CircuitActor actor, IServiceScopeFactory scopes)
{
    /// <summary>The key of a message that belongs to the whole form, not to one field.</summary>
    public const string FormField = ExternalTokenValidatorFields.Change;

    /// <summary>The key of the authentication code's message.</summary>
    public const string CodeField = ExternalTokenValidatorFields.StepUpCode;

    public const string Via = "on the Settings page";
    public const string NotAllowed = "You can no longer change the settings. Nothing was saved.";
    public const string Gone = "This validator no longer exists (someone removed it). Nothing was saved.";

    /// <summary>The messages shown on the screen, in its language (the English texts are their keys).</summary>
    private static readonly IStringLocalizer Texts = StaticLocalizer.For<SettingsTexts>();

    /// <summary>The validators by name, or null when the user may no longer read the settings.</summary>
    [Performs("validators.read")]
    public async Task<IReadOnlyList<ExternalTokenValidator>?> ListAsync(CancellationToken cancellationToken = default)
    {
        if (await actor.RequireAsync(Permission.SettingsRead, cancellationToken) is null)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ExternalTokenValidators>().ListAsync(cancellationToken);
    }

    /// <summary>
    /// The roles the signed-in user may offer as a validator's maximum role, or none when they may not
    /// change validators at all (decides what is shown; every change is checked again).
    /// </summary>
    [Performs()]
    public async Task<IReadOnlyList<PanelRole>> ChangeableWithRolesAsync(CancellationToken cancellationToken = default)
    {
        var (userId, permissions) = await actor.CurrentAsync(cancellationToken);
        return userId is not null && ExternalTokenValidators.MayChange(permissions) ? PanelRoles.DelegableBy(permissions) : [];
    }

    /// <summary>Adds a validator (<paramref name="id"/> null) or replaces one, with the user's current <paramref name="code"/>.</summary>
    /// <returns>Messages keyed by the input's property names (<see cref="FormField"/> for the form, <see cref="CodeField"/> for the code); none when saved.</returns>
    [Performs("validators.write")]
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(
        Guid? id, ExternalTokenValidatorInput input, string? code, CancellationToken cancellationToken = default)
    {
        if (await ActingAsync(cancellationToken) is not { } acting)
        {
            return new Dictionary<string, string> { [FormField] = Texts[NotAllowed] };
        }
        // The step-up (and its per-user limit) is the Domain's: StepUpVerifier.
        var actorWithCode = acting with { StepUpCode = Normalize(code) };
        await using var scope = scopes.CreateAsyncScope();
        var changes = scope.ServiceProvider.GetRequiredService<ExternalTokenValidatorChanges>();
        var result = id is { } existing
            ? await changes.UpdateAsync(actorWithCode, existing, input, cancellationToken)
            : await changes.CreateAsync(actorWithCode, input, cancellationToken);
        if (result.Outcome == ExternalTokenValidatorOutcome.NotFound)
        {
            return new Dictionary<string, string> { [FormField] = Texts[Gone] };
        }
        // One message per field: the first the Domain found.
        return result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => SettingsMessages.ValidatorText(g.First()));
    }

    /// <summary>Removes a validator with the user's current <paramref name="code"/>.</summary>
    [Performs("validators.write")]
    public async Task<ValidatorRemoval> RemoveAsync(Guid id, string name, string? code, CancellationToken cancellationToken = default)
    {
        if (await ActingAsync(cancellationToken) is not { } acting)
        {
            return new(false, Texts["You can no longer change the settings. Nothing was removed."]);
        }
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ExternalTokenValidatorChanges>()
            .DeleteAsync(acting with { StepUpCode = Normalize(code) }, id, cancellationToken);
        return result.Outcome switch
        {
            ExternalTokenValidatorOutcome.Done => new(true, Texts["Removed \"{0}\". Its issuer's tokens are refused from now on.", name]),
            ExternalTokenValidatorOutcome.NotFound => new(false, Texts["\"{0}\" was already removed.", name]),
            ExternalTokenValidatorOutcome.StepUpRefused => new(false, SettingsMessages.ValidatorText(result.Errors[0]), SettingsMessages.ValidatorText(result.Errors[0])),
            _ => new(false, Texts["{0} Nothing was removed.", SettingsMessages.ValidatorText(result.Errors[0])]),
        };
    }

    /// <summary>The signed-in user, still valid and holding settings.write, as an actor with the permissions they hold now.</summary>
    private async Task<Actor?> ActingAsync(CancellationToken cancellationToken)
    {
        var actorId = await actor.RequireAsync(Permission.SettingsWrite, cancellationToken);
        if (actorId is null)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        return Actor.Session(actorId, await scope.ServiceProvider.GetRequiredService<PermissionResolver>().GetPermissionsAsync(actorId, cancellationToken),
            enrolled: true, via: Via);
    }

    // People type the code as the app shows it ("123 456").
    private static string? Normalize(string? code) => code?.Replace(" ", "", StringComparison.Ordinal).Trim();
}

using AccessTokenPanel.Web.Localization;
using System.Globalization;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Domain.Authorization;

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

/// <summary>
/// The new token and its secret (to show once), or the request the token policy made wait for
/// approval (<see cref="Pending"/>), or messages keyed by input field.
/// </summary>
public sealed record GenerateTokenOutcome(AccessToken? Token, string? Secret, IReadOnlyDictionary<string, string> Errors,
    Domain.Approvals.TokenRequest? Pending = null)
{
    public bool Succeeded => Token is not null;
}

/// <summary>
/// The Generate dialog's submit: reads the typed fields and hands them, with the signed-in actor and
/// the typed code, to <see cref="TokenIssuer"/>, which judges them and only when they are right
/// spends the one-time authentication code and issues.
/// </summary>
public sealed class GenerateTokenHandler(TokenIssuer issuer)
{
    public const string CodeField = nameof(GenerateTokenInput.Code);
    /// <summary>Errors that belong to no single field (e.g. a disabled owner).</summary>
    public const string FormField = "";

    /// <summary>
    /// The domain's verdict on the fields as typed (name, API, role, expiry), keyed by input field;
    /// the step-up code is neither checked nor spent. The dialog calls it as the user types.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ValidateAsync(Actor actor, GenerateTokenInput input, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var request = ToRequest(actor, input, errors);
        foreach (var error in await issuer.ValidateAsync(actor, request, cancellationToken))
        {
            var field = FieldOf(error);
            // Each wrong address has its own message; the other fields show their first.
            if (field == nameof(GenerateTokenInput.AllowedAddresses) && errors.TryGetValue(field, out var earlier))
            {
                errors[field] = $"{earlier} {DomainMessages.Text(error)}";
            }
            else
            {
                errors.TryAdd(field, DomainMessages.Text(error));
            }
        }
        return errors;
    }

    public async Task<GenerateTokenOutcome> HandleAsync(Actor actor, GenerateTokenInput input, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>(await ValidateAsync(actor, input, cancellationToken), StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(input.Code) && string.IsNullOrEmpty(input.PasskeyProof))
        {
            errors[CodeField] = DomainMessages.Text(StepUpErrors.Required);
        }
        if (errors.Count > 0)
        {
            // The code is not checked (so not used up) while other fields need fixing.
            return new(null, null, errors);
        }
        var result = await issuer.IssueAsync(actor.WithStepUp(new StepUpAnswer(input.Code, input.PasskeyProof)), ToRequest(actor, input, errors), cancellationToken);
        if (result.IsPending)
        {
            return new(null, null, errors, result.Request);
        }
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                errors.TryAdd(FieldOf(error), DomainMessages.Text(error));
            }
            return new(null, null, errors);
        }
        return new(result.Token, result.Secret, errors);
    }

    private static IssueTokenRequest ToRequest(Actor actor, GenerateTokenInput input, Dictionary<string, string> errors)
    {
        // An unknown API goes to the issuer as an undefined value: it answers with its own message.
        var api = ApiTypes.All.FirstOrDefault(a => a.ToString() == input.Api);
        var expiry = ParseExpiry(input, errors);
        return new IssueTokenRequest(string.IsNullOrEmpty(input.OwnerId) ? actor.UserId! : input.OwnerId, input.Name, api, api == ApiType.Configuration ? input.DelegatedRole : null, expiry,
            AllowedAddresses: AddressAllowlist.Split(input.AllowedAddresses));
    }

    private static string FieldOf(DomainError error) => error.Field switch
    {
        TokenFields.Name => nameof(GenerateTokenInput.Name),
        TokenFields.Api => nameof(GenerateTokenInput.Api),
        TokenFields.Role => nameof(GenerateTokenInput.DelegatedRole),
        TokenFields.Days => nameof(GenerateTokenInput.Days),
        TokenFields.Date => nameof(GenerateTokenInput.ExpirationDate),
        TokenFields.AllowedAddresses => nameof(GenerateTokenInput.AllowedAddresses),
        StepUpErrors.Field => CodeField,
        _ => FormField,
    };

    /// <summary>Reads only the chosen expiry field; the other one may hold a stale value.</summary>
    private static TokenExpiry? ParseExpiry(GenerateTokenInput input, Dictionary<string, string> errors)
    {
        if (input.ExpiryMode == GenerateTokenInput.DateMode)
        {
            var date = input.ExpirationDate?.Trim();
            if (string.IsNullOrEmpty(date))
            {
                errors[nameof(GenerateTokenInput.ExpirationDate)] = TokenTexts.Localizer["Choose the date the token stops working."];
                return null;
            }
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsedDate))
            {
                errors[nameof(GenerateTokenInput.ExpirationDate)] = TokenTexts.Localizer["Enter the date as YYYY-MM-DD, e.g. 2027-03-31."];
                return null;
            }
            return TokenExpiry.OnDate(parsedDate);
        }

        var days = input.Days?.Trim();
        if (string.IsNullOrEmpty(days))
        {
            errors[nameof(GenerateTokenInput.Days)] = TokenTexts.Localizer["Enter how many days the token should work, e.g. 90."];
            return null;
        }
        if (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedDays))
        {
            errors[nameof(GenerateTokenInput.Days)] = TokenTexts.Localizer["Enter the number of days as a whole number, e.g. 90."];
            return null;
        }
        return TokenExpiry.InDays(parsedDays);
    }
}

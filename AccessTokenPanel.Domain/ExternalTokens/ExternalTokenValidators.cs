using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Domain.ExternalTokens;

/// <summary>
/// Lists, checks, saves and removes external token validators, for the Configuration API and the
/// Settings page alike. A validator decides who a stranger's JWT may act as, so changing one is a
/// trust-anchor change: the actor must hold every permission and prove it is them now with a
/// current authentication code (step-up). Every change is audited with each field before and after.
/// </summary>
public sealed class ExternalTokenValidators(
    PanelDbContext db,
    AuditLog audit,
    OperationGuard guard,
    IOptions<ExternalIssuerUrlOptions> urlOptions,
    TimeProvider time)
{
    private const string SubjectType = "external-token-validator";

    // The audit column's length (PanelDbContext). Values are shortened first so that the worst case
    // (every URL at its maximum, before and after) still fits; stored rows keep the full values.
    private const int AuditDetailsMaxLength = 2000;
    private const int AuditValueMaxLength = 200;

    public Task<List<ExternalTokenValidator>> ListAsync(CancellationToken cancellationToken = default) =>
        db.ExternalTokenValidators.AsNoTracking().OrderBy(v => v.Name).ToListAsync(cancellationToken);

    public Task<ExternalTokenValidator?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.ExternalTokenValidators.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, cancellationToken);

    /// <summary><see cref="Operations.ReadExternalValidators"/>: the validators by name.</summary>
    public async Task<Result<List<ExternalTokenValidator>>> ListAsync(Actor actor, CancellationToken cancellationToken = default) =>
        await guard.AuthorizeAsync(actor, Operations.ReadExternalValidators, cancellationToken: cancellationToken) is { } refused
            ? refused
            : Result<List<ExternalTokenValidator>>.Ok(await ListAsync(cancellationToken));

    /// <summary>
    /// Whether an actor with these permissions may add, change or remove validators (those of
    /// <see cref="Operations.ChangeExternalValidators"/>: every permission), for deciding what to show.
    /// </summary>
    public static bool MayChange(IReadOnlySet<string> actorPermissions) => Operations.ChangeExternalValidators.Permissions.All(actorPermissions.Contains);

    /// <summary>
    /// <see cref="Operations.ChangeExternalValidators"/>: adds a validator. The actor acts with its
    /// permissions (a Configuration token's delegated role as far as its owner still holds it; a
    /// signed-in user's own) and proves it with its step-up code.
    /// </summary>
    public Task<ExternalTokenValidatorResult> CreateAsync(Actor actor, ExternalTokenValidatorInput input, CancellationToken cancellationToken = default) =>
        SaveAsync(actor, null, input, cancellationToken);

    /// <summary>Replaces a validator's fields; as <see cref="CreateAsync"/>, and NotFound when there is no validator with this id.</summary>
    public async Task<ExternalTokenValidatorResult> UpdateAsync(Actor actor, Guid id, ExternalTokenValidatorInput input, CancellationToken cancellationToken = default)
    {
        if (await RefuseAsync(actor, cancellationToken) is { } refused)
        {
            return refused;
        }
        var existing = await db.ExternalTokenValidators.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        return existing is null ? NotFound() : await SaveAsync(actor, existing, input, cancellationToken);
    }

    /// <summary>Removes a validator (its issuer's tokens are refused from their next call); the result holds it as it was.</summary>
    public async Task<ExternalTokenValidatorResult> DeleteAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (await RefuseAsync(actor, cancellationToken) is { } refused)
        {
            return refused;
        }
        var existing = await db.ExternalTokenValidators.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (existing is null)
        {
            return NotFound();
        }
        if (await StepUpAsync(actor, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        db.ExternalTokenValidators.Remove(existing);
        audit.Record(actor.UserId, AuditActions.ExternalValidatorDeleted, SubjectType, id.ToString(), Changes(Fields(existing), null, actor.Via));
        await db.SaveChangesAsync(cancellationToken);
        return new(ExternalTokenValidatorOutcome.Done, existing, []);
    }

    /// <summary>The permission table's verdict; any refusal reads as "every permission required".</summary>
    private async Task<ExternalTokenValidatorResult?> RefuseAsync(Actor actor, CancellationToken cancellationToken) =>
        await guard.AuthorizeAsync(actor, Operations.ChangeExternalValidators, cancellationToken: cancellationToken) is null ? null : Forbidden();

    // The order: who may (refused before the code is spent), the input (a typo does not spend the
    // code either, as in token generation and rotation), the code, then the change.
    private async Task<ExternalTokenValidatorResult> SaveAsync(Actor actor, ExternalTokenValidator? existing, ExternalTokenValidatorInput input,
        CancellationToken cancellationToken)
    {
        if (await RefuseAsync(actor, cancellationToken) is { } refused)
        {
            return refused;
        }
        var errors = new List<DomainError>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > ExternalTokenValidator.NameMaxLength)
        {
            errors.Add(new(ExternalTokenValidatorErrorCodes.NameInvalid, nameof(input.Name), $"Enter a name of 1 to {ExternalTokenValidator.NameMaxLength} characters."));
        }
        else if (await db.ExternalTokenValidators.AnyAsync(v => v.Name == name && (existing == null || v.Id != existing.Id), cancellationToken))
        {
            errors.Add(new(ExternalTokenValidatorErrorCodes.NameTaken, nameof(input.Name), "Another validator has this name."));
        }
        var allowLoopbackHttp = urlOptions.Value.AllowLoopbackHttp;
        var httpNote = allowLoopbackHttp ? " (http only for localhost)" : "";
        var issuer = input.Issuer?.Trim() ?? "";
        if (!IsTrustedUrl(issuer, allowLoopbackHttp))
        {
            errors.Add(new(ExternalTokenValidatorErrorCodes.IssuerInvalid, nameof(input.Issuer),
                $"Enter the issuer as the https URL the tokens carry in iss{httpNote}."));
        }
        var jwksUrl = string.IsNullOrWhiteSpace(input.JwksUrl) ? null : input.JwksUrl.Trim();
        if (jwksUrl is not null && !IsTrustedUrl(jwksUrl, allowLoopbackHttp))
        {
            errors.Add(new(ExternalTokenValidatorErrorCodes.JwksUrlInvalid, nameof(input.JwksUrl),
                $"Enter the JWKS URL as an https URL{httpNote}, or leave it empty to use the issuer's discovery document."));
        }
        var audience = input.Audience?.Trim() ?? "";
        if (audience.Length is 0 or > ExternalTokenValidator.AudienceMaxLength)
        {
            errors.Add(new(ExternalTokenValidatorErrorCodes.AudienceInvalid, nameof(input.Audience), $"Enter the audience the tokens carry in aud (1 to {ExternalTokenValidator.AudienceMaxLength} characters)."));
        }
        var claim = input.UserClaim is null ? ExternalUserClaim.Email : ExternalUserClaims.FromWire(input.UserClaim);
        if (claim is null)
        {
            errors.Add(new(ExternalTokenValidatorErrorCodes.UserClaimInvalid, nameof(input.UserClaim), "The user claim is email or sub."));
        }
        var maxRole = PanelRoles.Find(string.IsNullOrWhiteSpace(input.MaxRole) ? ExternalTokenValidator.DefaultMaxRole : input.MaxRole.Trim());
        if (maxRole is null)
        {
            errors.Add(new(ExternalTokenValidatorErrorCodes.MaxRoleInvalid, nameof(input.MaxRole),
                $"The maximum role is one of: {string.Join(", ", PanelRoles.All.Select(r => r.Name))}."));
        }
        else if (!PanelRoles.CanDelegate(actor.Permissions, maxRole))
        {
            errors.Add(new(ExternalTokenValidatorErrorCodes.MaxRoleNotDelegable, nameof(input.MaxRole), "Choose a role whose permissions you hold yourself."));
        }
        if (errors.Count > 0)
        {
            if (string.IsNullOrWhiteSpace(actor.StepUpCode))
            {
                errors.Add(CodeRequired());
            }
            return new(ExternalTokenValidatorOutcome.Invalid, null, errors);
        }
        if (await StepUpAsync(actor, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var before = existing is null ? null : Fields(existing);
        var now = time.GetUtcNow().UtcDateTime;
        var validator = existing ?? new ExternalTokenValidator
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Name = name,
            Issuer = issuer,
            Audience = audience,
            CreatedAt = now,
        };
        validator.Name = name;
        validator.Issuer = issuer;
        validator.JwksUrl = jwksUrl;
        validator.Audience = audience;
        validator.UserClaim = claim!.Value;
        validator.MaxRole = maxRole!.Name;
        validator.Enabled = input.Enabled ?? true;
        validator.UpdatedAt = now;
        if (existing is null)
        {
            db.ExternalTokenValidators.Add(validator);
        }
        audit.Record(actor.UserId, existing is null ? AuditActions.ExternalValidatorCreated : AuditActions.ExternalValidatorUpdated,
            SubjectType, validator.Id.ToString(), Changes(before, Fields(validator), actor.Via));
        await db.SaveChangesAsync(cancellationToken);
        return new(ExternalTokenValidatorOutcome.Done, validator, []);
    }

    /// <summary>Null when the actor's code is accepted (and so spent); otherwise the refusal, beside the code field.</summary>
    private async Task<ExternalTokenValidatorResult?> StepUpAsync(Actor actor, CancellationToken cancellationToken) =>
        await guard.StepUpAsync(actor, cancellationToken) is { } refused
            ? StepUpRefused(refused.Code == StepUpErrors.CodeRequired ? CodeRequired() : refused with { Field = ExternalTokenValidatorFields.StepUpCode })
            : null;

    private static DomainError CodeRequired() =>
        new(ExternalTokenValidatorErrorCodes.CodeRequired, ExternalTokenValidatorFields.StepUpCode,
            "Enter the current 6-digit code from your authenticator app: changing a validator needs it.");

    private static ExternalTokenValidatorResult StepUpRefused(DomainError error) =>
        new(ExternalTokenValidatorOutcome.StepUpRefused, null, [error]);

    private static ExternalTokenValidatorResult Forbidden() =>
        new(ExternalTokenValidatorOutcome.Forbidden, null,
            [new(ExternalTokenValidatorErrorCodes.EveryPermissionRequired, ExternalTokenValidatorFields.Change,
                "Only a holder of every permission (a Super Administrator) may add, change or remove external token validators: "
                + "a validator decides which users a JWT may act as.")]);

    private static ExternalTokenValidatorResult NotFound() =>
        new(ExternalTokenValidatorOutcome.NotFound, null,
            [new(ExternalTokenValidatorErrorCodes.NotFound, ExternalTokenValidatorFields.Change, "There is no external token validator with this id.")]);

    private static IReadOnlyList<(string Field, string Value)> Fields(ExternalTokenValidator validator) =>
    [
        ("name", $"'{validator.Name}'"),
        ("issuer", validator.Issuer),
        ("jwksUrl", validator.JwksUrl ?? "(discovery)"),
        ("audience", validator.Audience),
        ("userClaim", validator.UserClaim.ToWire()),
        ("maxRole", validator.MaxRole),
        ("enabled", validator.Enabled ? "true" : "false"),
    ];

    /// <summary>Every field as <c>field before -&gt; after</c>, unchanged ones too: the entry alone tells what the validator was and became.</summary>
    private static string Changes(IReadOnlyList<(string Field, string Value)>? before, IReadOnlyList<(string Field, string Value)>? after, string via)
    {
        var fields = (after ?? before)!.Select((field, i) =>
            $"{field.Field} {Clip(before?[i].Value ?? "(none)")} -> {Clip(after?[i].Value ?? "(removed)")}");
        var details = $"{string.Join(", ", fields)}, {via}";
        return details.Length <= AuditDetailsMaxLength ? details : details[..(AuditDetailsMaxLength - 1)] + "…";
    }

    private static string Clip(string value) => value.Length <= AuditValueMaxLength ? value : value[..(AuditValueMaxLength - 1)] + "…";

    /// <summary>
    /// Keys must come over TLS. Plain http only to this machine, and only when
    /// <paramref name="allowLoopbackHttp"/> (the Development environment: see <see cref="ExternalIssuerUrlOptions"/>).
    /// </summary>
    public static bool IsTrustedUrl(string value, bool allowLoopbackHttp) =>
        value.Length <= ExternalTokenValidator.UrlMaxLength
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (allowLoopbackHttp && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        && string.IsNullOrEmpty(uri.UserInfo);
}

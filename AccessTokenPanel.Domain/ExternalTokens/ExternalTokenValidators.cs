using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.ExternalTokens;

/// <summary>Lists, checks, saves and removes external token validators; every change is audited.</summary>
public sealed class ExternalTokenValidators(PanelDbContext db, AuditLog audit, TimeProvider time)
{
    public Task<List<ExternalTokenValidator>> ListAsync(CancellationToken cancellationToken = default) =>
        db.ExternalTokenValidators.AsNoTracking().OrderBy(v => v.Name).ToListAsync(cancellationToken);

    public Task<ExternalTokenValidator?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.ExternalTokenValidators.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, cancellationToken);

    public Task<ExternalTokenValidatorResult> CreateAsync(ExternalTokenValidatorInput input, string actorId, string via, CancellationToken cancellationToken = default) =>
        SaveAsync(null, input, actorId, via, cancellationToken);

    /// <summary>Null when there is no validator with this id.</summary>
    public async Task<ExternalTokenValidatorResult?> UpdateAsync(Guid id, ExternalTokenValidatorInput input, string actorId, string via, CancellationToken cancellationToken = default)
    {
        var existing = await db.ExternalTokenValidators.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        return existing is null ? null : await SaveAsync(existing, input, actorId, via, cancellationToken);
    }

    public async Task<bool> DeleteAsync(Guid id, string actorId, string via, CancellationToken cancellationToken = default)
    {
        var existing = await db.ExternalTokenValidators.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (existing is null)
        {
            return false;
        }
        db.ExternalTokenValidators.Remove(existing);
        audit.Record(actorId, AuditActions.ExternalValidatorDeleted, "external-token-validator", id.ToString(),
            $"'{existing.Name}' ({existing.Issuer}), {via}");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task<ExternalTokenValidatorResult> SaveAsync(
        ExternalTokenValidator? existing, ExternalTokenValidatorInput input, string actorId, string via, CancellationToken cancellationToken)
    {
        var errors = new List<ExternalTokenValidatorError>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > ExternalTokenValidator.NameMaxLength)
        {
            errors.Add(new("name-invalid", nameof(input.Name), $"Enter a name of 1 to {ExternalTokenValidator.NameMaxLength} characters."));
        }
        else if (await db.ExternalTokenValidators.AnyAsync(v => v.Name == name && (existing == null || v.Id != existing.Id), cancellationToken))
        {
            errors.Add(new("name-taken", nameof(input.Name), "Another validator has this name."));
        }
        var issuer = input.Issuer?.Trim() ?? "";
        if (!IsTrustedUrl(issuer))
        {
            errors.Add(new("issuer-invalid", nameof(input.Issuer),
                "Enter the issuer as the https URL the tokens carry in iss (http only for localhost)."));
        }
        var jwksUrl = string.IsNullOrWhiteSpace(input.JwksUrl) ? null : input.JwksUrl.Trim();
        if (jwksUrl is not null && !IsTrustedUrl(jwksUrl))
        {
            errors.Add(new("jwks-url-invalid", nameof(input.JwksUrl),
                "Enter the JWKS URL as an https URL (http only for localhost), or leave it empty to use the issuer's discovery document."));
        }
        var audience = input.Audience?.Trim() ?? "";
        if (audience.Length is 0 or > ExternalTokenValidator.AudienceMaxLength)
        {
            errors.Add(new("audience-invalid", nameof(input.Audience), $"Enter the audience the tokens carry in aud (1 to {ExternalTokenValidator.AudienceMaxLength} characters)."));
        }
        var claim = input.UserClaim is null ? ExternalUserClaim.Email : ExternalUserClaims.FromWire(input.UserClaim);
        if (claim is null)
        {
            errors.Add(new("user-claim-invalid", nameof(input.UserClaim), "The user claim is email or sub."));
        }
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

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
        validator.Enabled = input.Enabled ?? true;
        validator.UpdatedAt = now;
        if (existing is null)
        {
            db.ExternalTokenValidators.Add(validator);
        }
        audit.Record(actorId, existing is null ? AuditActions.ExternalValidatorCreated : AuditActions.ExternalValidatorUpdated,
            "external-token-validator", validator.Id.ToString(),
            $"'{name}': issuer {issuer}, keys {(jwksUrl ?? "by discovery")}, audience {audience}, user claim {claim.Value.ToWire()}, "
            + $"{(validator.Enabled ? "enabled" : "disabled")}, {via}");
        await db.SaveChangesAsync(cancellationToken);
        return new(validator, []);
    }

    /// <summary>Keys must come over TLS; plain http only to this machine (development, tests).</summary>
    public static bool IsTrustedUrl(string value) =>
        value.Length <= ExternalTokenValidator.UrlMaxLength
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        && string.IsNullOrEmpty(uri.UserInfo);
}

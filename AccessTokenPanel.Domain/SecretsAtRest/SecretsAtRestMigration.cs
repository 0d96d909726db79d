using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.SecretsAtRest;

/// <summary>
/// Converts rows written before secrets were protected: clear authenticator keys are encrypted,
/// clear recovery codes hashed. Idempotent (rows already converted carry a prefix and are skipped),
/// so it runs at every start.
/// </summary>
public sealed class SecretsAtRestMigration(PanelDbContext db, TwoFactorSecrets secrets)
{
    /// <summary>Returns how many rows were converted.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.UserTokens
            .Where(t => t.LoginProvider == PanelUserStore.LoginProvider
                && (t.Name == PanelUserStore.AuthenticatorKeyName || t.Name == PanelUserStore.RecoveryCodesName))
            .ToListAsync(cancellationToken);
        var converted = 0;
        foreach (var row in rows)
        {
            if (string.IsNullOrEmpty(row.Value))
            {
                continue;
            }
            if (row.Name == PanelUserStore.AuthenticatorKeyName && !TwoFactorSecrets.IsProtectedKey(row.Value))
            {
                row.Value = secrets.ProtectKey(row.Value);
                converted++;
            }
            else if (row.Name == PanelUserStore.RecoveryCodesName && !TwoFactorSecrets.AreHashedCodes(row.Value))
            {
                row.Value = TwoFactorSecrets.HashClearCodes(row.Value);
                converted++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return converted;
    }
}

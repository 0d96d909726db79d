using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.TwoFactor;

/// <summary>
/// Records the TOTP step a user last used, so each code works once. The update is conditional
/// (only to a later step), so two simultaneous uses of one code cannot both pass; and the column is
/// never written by Identity's whole-row updates (see <see cref="PanelDbContext"/>), so a request
/// holding an older copy of the user cannot write the old step back and reopen the code.
/// </summary>
public sealed class TimeStepReplayGuard(PanelDbContext db)
{
    public async Task<bool> TryClaimAsync(PanelUser user, long timeStep, CancellationToken cancellationToken = default)
    {
        var claimed = await db.Users
            .Where(u => u.Id == user.Id && (u.LastTotpTimeStep == null || u.LastTotpTimeStep < timeStep))
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.LastTotpTimeStep, timeStep), cancellationToken);
        if (claimed == 1)
        {
            user.LastTotpTimeStep = timeStep;
        }
        return claimed == 1;
    }
}

using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Settings;

/// <summary>Reads the settings row, creating it with defaults the first time.</summary>
public sealed class SettingsStore(PanelDbContext db)
{
    public async Task<PanelSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        var settings = await db.Settings.SingleOrDefaultAsync(s => s.Id == PanelSettings.SingletonId, cancellationToken);
        if (settings is null)
        {
            settings = new PanelSettings();
            db.Settings.Add(settings);
            await db.SaveChangesAsync(cancellationToken);
        }
        return settings;
    }
}
